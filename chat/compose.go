package chat

import (
	"fmt"
	"strings"
	"time"

	"github.com/thutuc/thutuc/vntext"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
)

// The extractive composer writes answers only out of source passages: every fact line is a
// list item, paragraph or sub-heading of a chunk, shown on one line and followed by its
// citation marker. The words it adds itself are section labels, the title and the pointer to
// the official page; none of them carries a number, fee, deadline, document or agency. The one
// line that carries numbers without a citation names the procedure's other levels: their
// codes and pages, copied from the documents' records (variantsLine).

// passage is a chunk with the document fields a citation needs.
type passage struct {
	chunkID   int64
	docID     string
	code      string
	title     string
	kind      string
	sourceURL string
	asOf      string
	section   string
	heading   string
	article   string
	text      string
}

func passageFromView(v postgres.ChunkView) passage {
	return passage{chunkID: v.ID, docID: v.DocumentID, code: v.Code, title: v.Title, kind: v.Kind,
		sourceURL: v.SourceURL, asOf: v.AsOf, section: v.Section, heading: v.Heading, article: v.Article, text: v.Text}
}

func passageFromSearch(r thutuc.SearchResult, s thutuc.SearchSection) passage {
	return passage{chunkID: s.ChunkID, docID: r.DocumentID, code: r.Code, title: r.Title, kind: r.Kind,
		sourceURL: r.SourceURL, asOf: r.AsOf, section: s.Section, heading: s.Heading, article: s.Article, text: s.Text}
}

// docInfo is the document an answer is about.
type docInfo struct {
	id, code, title, kind, sourceURL, asOf string
}

// List styles of a block.
const (
	styleBullets = iota
	styleChecklist
	styleOrdered
	styleProse
)

// block is one labelled part of an answer: the facts of one section, possibly filtered.
type block struct {
	section string
	label   string
	style   int
	online  bool // only the facts about applying online
	missing string
}

// sectionLabels are the Vietnamese labels of the canonical sections in answers, and what the
// answer says when the source has no such section.
var sectionLabels = map[string][2]string{
	thutuc.SectionOverview:   {"Giới thiệu", "phần giới thiệu"},
	thutuc.SectionDocuments:  {"Hồ sơ cần chuẩn bị", "thành phần hồ sơ"},
	thutuc.SectionFees:       {"Phí, lệ phí", "phí, lệ phí"},
	thutuc.SectionDeadline:   {"Thời hạn giải quyết", "thời hạn giải quyết"},
	thutuc.SectionSteps:      {"Các bước thực hiện", "trình tự thực hiện"},
	thutuc.SectionChannels:   {"Cách nộp hồ sơ", "cách thức thực hiện"},
	thutuc.SectionAgency:     {"Cơ quan giải quyết", "cơ quan thực hiện"},
	thutuc.SectionApplicants: {"Ai được thực hiện", "đối tượng thực hiện"},
	thutuc.SectionConditions: {"Điều kiện", "điều kiện thực hiện"},
	thutuc.SectionResult:     {"Kết quả nhận được", "kết quả thực hiện"},
	thutuc.SectionLegalBasis: {"Căn cứ pháp lý", "căn cứ pháp lý"},
	thutuc.SectionForms:      {"Mẫu đơn, tờ khai", "mẫu đơn, tờ khai"},
}

func newBlock(section string, style int) block {
	l := sectionLabels[section]
	return block{section: section, label: l[0], style: style, missing: "Nguồn không nêu " + l[1] + " cho thủ tục này."}
}

// planBlocks lists the blocks answering the intents for an audience.
func planBlocks(intents []string, audience string) []block {
	docStyle := styleBullets
	if audience == AudienceCoach {
		docStyle = styleChecklist
	}
	var out []block
	if audience == AudienceCoach {
		out = append(out, newBlock(thutuc.SectionDocuments, docStyle))
	}
	for _, in := range intents {
		out = append(out, intentBlocks(in, audience, docStyle)...)
	}
	switch audience {
	case AudienceCoach:
		out = append(out, newBlock(thutuc.SectionFees, styleBullets), newBlock(thutuc.SectionDeadline, styleBullets))
	case AudienceOfficer:
		out = append(out, newBlock(thutuc.SectionConditions, styleBullets), newBlock(thutuc.SectionLegalBasis, styleBullets))
	}
	return dedupeBlocks(out)
}

func intentBlocks(intent, audience string, docStyle int) []block {
	switch intent {
	case IntentDocuments:
		forms := newBlock(thutuc.SectionForms, styleBullets)
		if audience == AudienceCitizen {
			forms.missing = "" // the documents name the forms they need
		}
		return []block{newBlock(thutuc.SectionDocuments, docStyle), forms}
	case IntentSteps:
		return []block{newBlock(thutuc.SectionSteps, styleOrdered)}
	case IntentFees:
		// Fees are given per channel; coaches and officers also get the channels themselves,
		// citizens the short answer.
		if audience == AudienceCitizen {
			return []block{newBlock(thutuc.SectionFees, styleBullets)}
		}
		return []block{newBlock(thutuc.SectionFees, styleBullets), newBlock(thutuc.SectionChannels, styleBullets)}
	case IntentOnline:
		ch, fee, dl := newBlock(thutuc.SectionChannels, styleBullets), newBlock(thutuc.SectionFees, styleBullets), newBlock(thutuc.SectionDeadline, styleBullets)
		ch.online, fee.online, dl.online = true, true, true
		ch.label, fee.label, dl.label = "Nộp trực tuyến", "Phí, lệ phí khi nộp trực tuyến", "Thời hạn khi nộp trực tuyến"
		ch.missing = "Nguồn không nêu cách nộp trực tuyến cho thủ tục này."
		fee.missing, dl.missing = "", ""
		return []block{ch, fee, dl}
	case IntentOverview:
		docs := newBlock(thutuc.SectionDocuments, docStyle)
		return []block{newBlock(thutuc.SectionOverview, styleProse), docs,
			newBlock(thutuc.SectionFees, styleBullets), newBlock(thutuc.SectionDeadline, styleBullets)}
	}
	var out []block
	for _, sec := range sectionsFor(intent) {
		out = append(out, newBlock(sec, styleBullets))
	}
	return out
}

// dedupeBlocks keeps the first block of each section; a full block replaces a filtered one of
// the same section.
func dedupeBlocks(in []block) []block {
	full := map[string]int{}
	for _, b := range in {
		if !b.online {
			full[b.section]++
		}
	}
	seen := map[string]bool{}
	var out []block
	for _, b := range in {
		if seen[b.section] || (b.online && full[b.section] > 0) {
			continue
		}
		seen[b.section] = true
		out = append(out, b)
	}
	return out
}

// builder accumulates the Markdown blocks and citations of an answer.
type builder struct {
	parts  []string
	cites  []Citation
	spans  [][2]int // per citation: the byte span of its chunk's text it quotes
	texts  []string // per citation: its chunk's text
	index  map[int64]int
	silent bool     // the source says nothing on something asked
	focus  []string // when set, only the list items that contain one of these words
	// fold: a citizen's answer shows each block's first facts; detail holds the blocks whole.
	fold       bool
	detail     []string
	docsFolded int // the documents of a folded documents block
	folded     int // the blocks folded
	blocks     int // the blocks of the plan being rendered
	cases      []CaseDetail
	audience   string
	today      time.Time
}

func newBuilder(audience string, today time.Time) *builder {
	return &builder{index: map[int64]int{}, audience: audience, today: today, fold: audience == AudienceCitizen}
}

// cite returns the citation number of a fact: one citation per source passage (chunk), added
// the first time one of its facts is cited. Its quote is the part of the passage from the
// first to the last fact cited, so it holds every cited fact exactly.
func (b *builder) cite(p passage, f fact) int {
	if n, ok := b.index[p.chunkID]; ok {
		sp := &b.spans[n-1]
		sp[0], sp[1] = min(sp[0], f.start), max(sp[1], f.end)
		b.cites[n-1].Quote = b.texts[n-1][sp[0]:sp[1]]
		return n
	}
	n := len(b.cites) + 1
	b.cites = append(b.cites, Citation{N: n, DocumentID: p.docID, Code: p.code, Title: p.title, Section: p.section,
		Article: p.article, Quote: f.quote, SourceURL: p.sourceURL, AsOf: p.asOf})
	b.spans = append(b.spans, [2]int{f.start, f.end})
	b.texts = append(b.texts, p.text)
	b.index[p.chunkID] = n
	return n
}

func (b *builder) add(lines ...string) {
	if len(lines) > 0 {
		b.parts = append(b.parts, strings.Join(lines, "\n"))
	}
}

func (b *builder) markdown() string { return strings.Join(b.parts, "\n\n") }

// render writes one block from the passages of its section. When the answer is folded (a
// citizen's), the block shows its first facts and, when it has more, its whole text goes to
// the folded detail.
func (b *builder) render(bl block, ps []passage) {
	var units []unit
	docs, cases := 0, 0
	silentOnly := true
	for _, p := range ps {
		for _, f := range parseFacts(p.text) {
			if bl.online && (f.kind == factHeading || !aboutOnline(f)) {
				continue
			}
			if b.focus != nil && (f.kind != factItem || !mentions(f, b.focus)) {
				continue
			}
			if b.hide(f) {
				continue
			}
			silentOnly = silentOnly && silent(f)
			n := b.cite(p, f)
			switch {
			case f.kind == factItem:
				docs++
				units = append(units, unit{prefix: itemPrefix(bl.style, f), item: true, text: f.display, n: n})
			case f.kind == factHeading:
				cases++
				units = append(units, unit{heading: true, text: f.display, n: n})
			default:
				units = append(units, unit{text: f.display, n: n})
			}
			units[len(units)-1].notes = b.notes(p, f)
		}
	}
	switch {
	case len(units) == 0 && bl.missing != "" && b.focus == nil:
		b.add("**"+bl.label+"**", "- "+bl.missing)
		b.silent = true
		return
	case len(units) == 0:
		return
	case silentOnly:
		b.silent = true
	}
	label := ""
	if bl.label != "" && bl.style != styleProse {
		label = "**" + bl.label + "**"
	}
	lead := leadUnits(bl, b.blocks)
	if !b.fold || len(units) <= lead && !anyLong(units) {
		b.emit(&b.parts, label, units, false)
		return
	}
	// The count goes on the button that unfolds the detail: an answer line carries no number
	// that no source gives.
	leadLabel := label
	if bl.section == thutuc.SectionDocuments && label != "" {
		leadLabel = label + " — các giấy tờ chính"
		if cases > 1 {
			leadLabel += " (tùy trường hợp)"
		}
		leadLabel += ":"
		b.docsFolded = docs
	}
	b.emit(&b.parts, leadLabel, leadOf(units, lead), true)
	b.emit(&b.detail, label, units, false)
	b.folded++
	if bl.section == thutuc.SectionDocuments && cases > 1 && b.cases == nil {
		b.cases = b.caseDetails(label, units)
	}
}

// mentions reports whether a fact contains one of the words (accented words match with
// their accents, unaccented ones without).
func mentions(f fact, words []string) bool {
	have := map[string]bool{}
	for _, w := range vntext.Words(f.display) {
		have[w], have[vntext.Fold(w)] = true, true
	}
	for _, w := range words {
		if have[w] {
			return true
		}
	}
	return false
}

func (b *builder) renderAll(plan []block, bySection map[string][]passage) {
	b.blocks = len(plan)
	for _, bl := range plan {
		b.render(bl, bySection[bl.section])
	}
}

// focusBlocks are the sections outside the plan with facts about the case asked.
func (b *builder) focusBlocks(plan []block, bySection map[string][]passage, focus []string) []block {
	planned := map[string]bool{}
	for _, bl := range plan {
		planned[bl.section] = true
	}
	var out []block
	for _, sec := range []string{thutuc.SectionDocuments, thutuc.SectionConditions, thutuc.SectionApplicants,
		thutuc.SectionForms, thutuc.SectionFees, thutuc.SectionDeadline, thutuc.SectionSteps} {
		bl := newBlock(sec, styleBullets)
		if !planned[sec] && b.anyMentions([]block{bl}, bySection, focus) {
			out = append(out, bl)
		}
	}
	return out
}

// anyMentions reports whether a list item the plan would show mentions one of the words: the
// facts render skips (a source note a citizen is not shown, what is not about applying online
// in the online block) do not count, or the answer would announce facts it then leaves out.
func (b *builder) anyMentions(plan []block, bySection map[string][]passage, words []string) bool {
	for _, bl := range plan {
		for _, p := range bySection[bl.section] {
			for _, f := range parseFacts(p.text) {
				if bl.online && !aboutOnline(f) || b.hide(f) {
					continue
				}
				if f.kind == factItem && mentions(f, words) {
					return true
				}
			}
		}
	}
	return false
}

// itemPrefix is what starts a list item's line in a block's style.
func itemPrefix(style int, f fact) string {
	switch {
	case style == styleChecklist:
		return "- [ ] "
	case style == styleOrdered && f.ordinal != "":
		return f.ordinal + ". "
	}
	return "- "
}

// composeProcedure answers intents from a procedure's passages, adding the articles of
// regulations it rests on when given, and the line naming the procedure's other levels
// (variantsLine) when not empty.
func composeProcedure(doc docInfo, ps []passage, articles []passage, intents []string, audience string, focus []string,
	levels string, today time.Time) composed {
	b := newBuilder(audience, today)
	b.add(titleLine(doc))
	bySection := map[string][]passage{}
	for _, p := range ps {
		bySection[p.section] = append(bySection[p.section], p)
	}
	plan := planBlocks(intents, audience)
	switch {
	case len(focus) == 0:
		b.renderAll(plan, bySection)
	case b.anyMentions(plan, bySection, focus):
		// A follow-up about one case ("con tôi 5 tuổi thì sao?"): the facts about that case.
		b.add("Những mục trong nguồn liên quan đến trường hợp bạn hỏi:")
		b.focus = focus
		b.renderAll(plan, bySection)
		b.focus = nil
		b.add("Hỏi lại không kèm trường hợp cụ thể để xem đầy đủ.")
	default:
		b.renderAll(plan, bySection)
		extra := b.focusBlocks(plan, bySection, focus)
		if len(extra) == 0 {
			b.add("Nguồn không nêu điều gì riêng cho trường hợp bạn hỏi; thông tin trên áp dụng chung cho thủ tục.")
			break
		}
		b.add("Những mục khác trong nguồn liên quan đến trường hợp bạn hỏi:")
		b.focus = focus
		b.renderAll(extra, bySection)
		b.focus = nil
	}
	b.renderArticles(articles)
	if levels != "" {
		b.add(levels)
	}
	b.add(footer(doc, b.silent))
	return b.composed()
}

// composed is an answer as the composer writes it: Markdown, the folded detail (Markdown, ""
// when nothing was folded) with what its button says, and the citations of both.
type composed struct {
	markdown, detail, detailLabel string
	citations                     []Citation
	cases                         []CaseDetail
}

func (b *builder) composed() composed {
	c := composed{markdown: b.markdown(), citations: b.cites, cases: b.cases}
	if len(b.detail) > 0 {
		c.detail = strings.Join(b.detail, "\n\n")
		c.detailLabel = "Xem đầy đủ"
		switch {
		case b.docsFolded > 0 && b.folded == 1:
			c.detailLabel = fmt.Sprintf("Xem đủ %d giấy tờ", b.docsFolded)
		case b.docsFolded > 0:
			c.detailLabel = fmt.Sprintf("Xem đủ %d giấy tờ và các mục khác", b.docsFolded)
		}
	}
	return c
}

// renderArticles writes regulation articles, each under its own label.
func (b *builder) renderArticles(articles []passage) {
	for _, a := range articles {
		label := a.title
		if a.heading != "" {
			label += " — " + a.heading
		}
		b.render(block{section: a.section, label: label, style: styleBullets}, []passage{a})
	}
}

// composeRegulation answers from a regulation: the sections the intents name when it has
// them, then the passages the search matched (articles), else its overview.
func composeRegulation(doc docInfo, ps []passage, matched []passage, intents []string, audience string, today time.Time) composed {
	b := newBuilder(audience, today)
	b.add(titleLine(doc))
	bySection := map[string][]passage{}
	for _, p := range ps {
		bySection[p.section] = append(bySection[p.section], p)
	}
	used := map[int64]bool{}
	for _, in := range intents {
		for _, sec := range sectionsFor(in) {
			if sec == thutuc.SectionOverview || len(bySection[sec]) == 0 || used[bySection[sec][0].chunkID] {
				continue
			}
			bl := newBlock(sec, styleBullets)
			bl.missing = ""
			b.render(bl, bySection[sec])
			for _, p := range bySection[sec] {
				used[p.chunkID] = true
			}
		}
	}
	var rest []passage
	for _, m := range matched {
		if !used[m.chunkID] {
			rest = append(rest, m)
			used[m.chunkID] = true
		}
	}
	if len(rest) == 0 && len(b.cites) == 0 {
		rest = bySection[thutuc.SectionOverview]
	}
	for _, p := range rest {
		label := p.heading
		if p.section == thutuc.SectionOverview {
			label = "Tóm tắt"
		}
		b.render(block{section: p.section, label: label, style: styleBullets}, []passage{p})
	}
	b.add(footer(doc, false))
	return b.composed()
}

func titleLine(doc docInfo) string { return "**" + doc.title + "**" }

// footer points to the official page: where to check, download forms and apply.
func footer(doc docInfo, silent bool) string {
	var sb strings.Builder
	if silent {
		sb.WriteString("Nguồn không nêu đầy đủ điều bạn hỏi; hãy xem trang chính thức hoặc hỏi bộ phận một cửa nơi nộp hồ sơ. ")
	}
	sb.WriteString("_Nguồn: ")
	sb.WriteString(doc.title)
	if doc.code != "" {
		sb.WriteString(" (mã " + doc.code + ")")
	}
	if d := viDate(doc.asOf); d != "" {
		sb.WriteString(", dữ liệu ngày " + d)
	}
	sb.WriteString("._")
	if doc.sourceURL != "" {
		if doc.kind == thutuc.KindRegulation {
			sb.WriteString(" Xem văn bản tại <" + doc.sourceURL + ">.")
		} else {
			sb.WriteString(" Xem chi tiết và nộp hồ sơ tại <" + doc.sourceURL + ">.")
		}
	}
	return sb.String()
}

// viDate writes an ISO date the Vietnamese way (01/07/2025).
func viDate(iso string) string {
	parts := strings.Split(iso, "-")
	if len(parts) != 3 {
		return iso
	}
	return parts[2] + "/" + parts[1] + "/" + parts[0]
}
