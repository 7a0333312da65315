package resolve

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/thutuc/thutuc/vntext"
)

// Part is one need of a message that asks about several procedures ("khai sinh cho con và
// làm CCCD cho tôi"), resolved on its own.
type Part struct {
	Text       string
	Resolution *Resolution
}

// Found reports whether the part is answered with a procedure.
func (p Part) Found() bool { return p.Resolution.Decision == Answer }

// maxParts bounds the needs read from one message: a longer story is read as one question.
const maxParts = 3

// Parts splits a message into its needs and resolves each, given the whole message's
// resolution. It returns nil when the message asks for one procedure. Each part's procedure
// must be among the whole message's candidates (a part read alone, "cấp đổi", may find what
// the message is not about), and the parts are kept only when they say something the whole
// resolution does not:
//   - two or more parts answered with different procedures, none of them among the other
//     parts' likely candidates (not a procedure and its sibling), and the whole message's
//     procedure (or those it offers) not likely for two of the parts: not one procedure
//     that does both;
//   - or the whole message answered with the procedure of one part while another part that
//     names a subject finds none: the answer says which part it could not find.
func (r *Resolver) Parts(ctx context.Context, q Query, whole *Resolution) ([]Part, error) {
	texts := splitNeeds(q.Text)
	if len(texts) < 2 {
		return nil, nil
	}
	// The parts are resolved side by side: each is a search of its own, and a message of
	// several sentences is most of a chat's slowest answers.
	parts := make([]Part, len(texts))
	errs := make([]error, len(texts))
	var wg sync.WaitGroup
	for i, t := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i].Text = t
			parts[i].Resolution, errs[i] = r.Resolve(ctx, Query{Text: t, Locality: q.Locality})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var found []string
	for i, p := range parts {
		if !p.Found() {
			continue
		}
		id := p.Resolution.Candidates[0].ID()
		if slices.Contains(found, id) || !likely(whole, id, len(whole.Candidates)) {
			return nil, nil
		}
		for j, o := range parts {
			if j != i && o.Found() && likely(o.Resolution, id, 5) {
				return nil, nil
			}
		}
		found = append(found, id)
	}
	wholeID := ""
	if whole.Decision == Answer {
		wholeID = whole.Candidates[0].ID()
	}
	switch {
	case len(found) >= 2:
		// The whole message's procedure, or one it offers, likely for two parts is one
		// procedure for both ("khai sinh và thường trú cho con": the joint procedure).
		joint := whole.Offered
		if wholeID != "" {
			joint = whole.Candidates[:1]
		}
		for _, c := range joint {
			n := 0
			for _, p := range parts {
				if p.Found() && likely(p.Resolution, c.ID(), 5) {
					n++
				}
			}
			if n >= 2 {
				return nil, nil
			}
		}
	case len(found) == 1 && found[0] == wholeID:
		missing := false
		for _, p := range parts {
			missing = missing || !p.Found() && !p.Resolution.NoTopic && p.Resolution.Topic == nil && len(subjectWords(p.Text)) >= 2
		}
		if !missing {
			return nil, nil
		}
	default:
		return nil, nil
	}
	return parts, nil
}

// likely reports whether id is among the resolution's n best candidates.
func likely(res *Resolution, id string, n int) bool {
	for _, c := range res.Candidates[:min(n, len(res.Candidates))] {
		if c.ID() == id {
			return true
		}
	}
	return false
}

// subjectWords are the folded words of a text that name a subject: neither stop words nor
// words of what is asked.
func subjectWords(text string) []string {
	var out []string
	for _, w := range ContentWords(withoutIntentWords(FoldedWords(text))) {
		if !askWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// askWords are more words of what is asked ("mất bao lâu", "hết bao nhiêu", "tốn phí").
var askWords = WordSet("mat het ton nhieu lam ai gio ngay thang nam")

// needJoins are the words that join two needs in one sentence.
var needJoins = AccentPhrases("và", "với cả", "và cả", "đồng thời", "ngoài ra", "thêm nữa")

// splitNeeds splits a message at sentence ends and at the words that join needs, keeping
// the pieces that name a subject (a piece that does not joins the one before it). A subject
// is a word other than a stop word or a word of what is asked ("mất bao lâu"). It
// returns nil when there are more than maxParts pieces.
func splitNeeds(text string) []string {
	var pieces []string
	for _, s := range splitClauses(text) {
		words := strings.Fields(s)
		start := 0
		for i := 0; i < len(words); i++ {
			ws := vntext.Words(strings.Join(words[i:min(i+3, len(words))], " "))
			for _, p := range needJoins {
				if p.MatchAt(ws, 0) {
					pieces = append(pieces, strings.Join(words[start:i], " "))
					start = i + p.Len()
					i = start - 1
					break
				}
			}
		}
		pieces = append(pieces, strings.Join(words[min(start, len(words)):], " "))
	}
	var out []string
	for _, p := range pieces {
		p = strings.Trim(p, " ,")
		switch {
		case p == "":
		case len(subjectWords(p)) == 0 && len(out) > 0:
			out[len(out)-1] += " " + p
		default:
			out = append(out, p)
		}
	}
	if len(out) > maxParts {
		return nil
	}
	return out
}

// splitClauses splits text at question and exclamation marks, semicolons, line ends and
// full stops followed by a space (not those inside codes such as 1.000894).
func splitClauses(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i, r := range rs {
		end := r == '?' || r == '!' || r == ';' || r == '\n' || r == '.' && (i+1 == len(rs) || rs[i+1] == ' ')
		if end {
			if s := strings.TrimSpace(string(rs[start:i])); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}
