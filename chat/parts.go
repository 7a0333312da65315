package chat

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/thutuc/thutuc/resolve"
)

// partsDecision is the decision of a message that asks about several procedures: the first
// part found is answered, the others are carried in parts, the parts no procedure was found
// for in missing, and those between close procedures in unsure. A part asks its own intents, or the whole message's when it names
// none ("khai sinh cho con và làm căn cước cho tôi cần giấy tờ gì").
func partsDecision(intents []string, parts []resolve.Part) decision {
	var found []decision
	var missing, unsure []string
	for _, p := range parts {
		if p.Resolution.Decision == resolve.Clarify {
			unsure = append(unsure, p.Text)
			continue
		}
		if !p.Found() {
			missing = append(missing, p.Text)
			continue
		}
		best := p.Resolution.Candidates[0]
		own := DetectIntents(p.Text)
		if slices.Equal(own, []string{IntentOverview}) {
			own = intents
		}
		found = append(found, decision{status: StatusAnswered, intents: own, question: p.Text, docID: best.ID(),
			result: &best.Result, variants: variantsOf(best, best.ID()), reason: fmt.Sprintf("part P %.2f", best.P)})
	}
	d := found[0]
	d.intents, d.parts, d.missing, d.unsure = intents, found, missing, unsure
	d.reason = fmt.Sprintf("%d parts, %d found", len(parts), len(found))
	return d
}

// draftParts composes the answer of each part found, numbered, one after the other, and
// says which parts it could not find. The citations of each part are renumbered after
// those of the parts before it.
func (s *Service) draftParts(ctx context.Context, t *turn, d decision) (*draftAnswer, error) {
	var out *draftAnswer
	var b strings.Builder
	if len(d.parts) > 1 {
		fmt.Fprintf(&b, "Câu hỏi của anh/chị gồm %d việc; tôi trả lời lần lượt từng việc.\n\n", len(d.parts))
	}
	var cites []Citation
	var details []string
	for i, p := range d.parts {
		dr, err := s.draft(ctx, t, p)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = dr
		}
		off := len(cites)
		for _, c := range dr.citations {
			c.N += off
			cites = append(cites, c)
		}
		renumber := func(md string) string {
			return markerPattern.ReplaceAllStringFunc(md, func(m string) string {
				n, _ := strconv.Atoi(m[1 : len(m)-1])
				return "[" + strconv.Itoa(n+off) + "]"
			})
		}
		heading := ""
		if len(d.parts) > 1 {
			heading = fmt.Sprintf("### %d. %s\n\n", i+1, dr.doc.title)
		}
		b.WriteString(heading + renumber(dr.markdown) + "\n\n")
		if dr.detail != "" {
			details = append(details, heading+renumber(dr.detail))
		}
	}
	for _, m := range d.unsure {
		fmt.Fprintf(&b, "Về “%s”: có vài thủ tục gần nhau, tôi chưa chắc anh/chị cần thủ tục nào. Hãy hỏi riêng phần này, "+
			"nói rõ hơn (làm lần đầu hay làm lại, cho cá nhân hay doanh nghiệp…).\n\n", m)
	}
	for _, m := range d.missing {
		fmt.Fprintf(&b, "Về “%s”: tôi không tìm thấy thủ tục nào trong nguồn khớp với phần này, nên không trả lời để tránh hướng dẫn sai. "+
			"Anh/chị có thể hỏi lại rõ hơn, hoặc tra cứu trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn).\n\n", m)
	}
	out.markdown, out.citations = strings.TrimSpace(b.String()), cites
	out.detail, out.detailLabel = strings.Join(details, "\n\n"), ""
	if out.detail != "" {
		out.detailLabel = "Xem đầy đủ"
	}
	// The other levels are named inside each part's answer; the cases of one part would need
	// its citations renumbered, and a long answer in parts offers none.
	out.levels, out.others = "", nil
	if len(d.parts) > 1 {
		out.cases = nil
	}
	return out, nil
}
