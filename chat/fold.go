package chat

import (
	"fmt"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
)

// A citizen's answer is folded: each block shows its first facts, on short lines, and the
// blocks that had more are given whole in the answer's detail, behind a button.

// unit is one fact as an answer line.
type unit struct {
	prefix  string // a list item's marker ("- ", "3. ", "- [ ] ")
	text    string // the fact's text, on one line
	n       int    // its citation
	item    bool   // a list item (else a paragraph or a case heading)
	heading bool   // a case heading, shown in italics
	notes   []string
}

// line is the unit's answer line, its text cut at a word before leadMax characters when short.
func (u unit) line(short bool) string {
	text := u.text
	if r := []rune(text); short && len(r) > leadMax {
		cut := string(r[:leadMax])
		if i := strings.LastIndexByte(cut, ' '); i > leadMax/2 {
			cut = cut[:i]
		}
		text = strings.TrimRight(cut, " ,;:(") + " …"
	}
	if u.heading {
		text = "_" + text + "_"
	}
	line := fmt.Sprintf("%s%s [%d]", u.prefix, text, u.n)
	for _, note := range u.notes {
		line += " _(" + note + ")_"
	}
	return line
}

// leadOf is what a folded block shows: its first n facts, not counting the heading of the
// first case, and never past the start of a second case.
func leadOf(units []unit, n int) []unit {
	count, headings := 0, 0
	for i, u := range units {
		if u.heading {
			if headings++; headings > 1 && count > 0 {
				return units[:i]
			}
			continue
		}
		if count == n {
			return units[:i]
		}
		count++
	}
	return units
}

// leadMax bounds a folded line: longer facts are cut at a word, and shown whole in the detail.
const leadMax = 200

// leadUnits is how many facts of a block a folded answer shows first.
// An answer of many blocks (an overview: what it is, documents, fees, deadline) shows fewer
// facts of each but the fee and time of each channel, so that its lead stays short.
func leadUnits(bl block, blocks int) int {
	many := 0
	if blocks > 2 {
		many = 1
	}
	switch {
	case bl.style == styleProse:
		return 1
	case bl.section == thutuc.SectionDocuments:
		return 4 - many
	case bl.section == thutuc.SectionFees || bl.section == thutuc.SectionDeadline:
		return 3 // one per channel
	}
	return 3 - many
}

func anyLong(units []unit) bool {
	for _, u := range units {
		if len([]rune(u.text)) > leadMax {
			return true
		}
	}
	return false
}

// emit adds a block's label and lines to parts: list items together, paragraphs and case
// headings on their own. Short lines are cut at leadMax.
func (b *builder) emit(parts *[]string, label string, units []unit, short bool) {
	var list []string
	if label != "" {
		list = append(list, label)
	}
	flush := func() {
		if len(list) > 0 {
			*parts = append(*parts, strings.Join(list, "\n"))
		}
		list = nil
	}
	for _, u := range units {
		if !u.item {
			flush()
		}
		list = append(list, u.line(short))
		if !u.item {
			flush()
		}
	}
	flush()
}

// MaxCases bounds the cases a folded answer offers as chips.
const MaxCases = 8

// caseDetails splits a documents block by its cases: for each case heading, the facts before
// the first case and those under a general note ("Lưu ý chung") — they hold for every case —
// with the heading and its own facts.
func (b *builder) caseDetails(label string, units []unit) []CaseDetail {
	var common, notes []unit
	var groups [][]unit
	var into *[]unit = &common
	for _, u := range units {
		if u.heading {
			if k := vntext.Key(u.text); strings.HasPrefix(k, "luu y") || strings.HasPrefix(k, "ghi chu") {
				notes = append(notes, u)
				into = &notes
				continue
			}
			groups = append(groups, []unit{u})
			into = &groups[len(groups)-1]
			continue
		}
		*into = append(*into, u)
	}
	if len(groups) < 2 {
		return nil
	}
	var out []CaseDetail
	for _, g := range groups[:min(len(groups), MaxCases)] {
		var parts []string
		all := append(append(append([]unit(nil), common...), g...), notes...)
		b.emit(&parts, label, all, false)
		out = append(out, CaseDetail{Label: caseLabel(g[0].text), Detail: strings.Join(parts, "\n\n")})
	}
	return out
}

// caseLabel is what a case's chip says: its heading, without a leading "a)" or "Trường hợp"
// and at most about 60 characters.
func caseLabel(heading string) string {
	s := strings.TrimSpace(heading)
	if i := strings.Index(s, ") "); i > 0 && i <= 3 {
		s = s[i+2:]
	}
	s = strings.TrimSuffix(s, ":")
	if r := []rune(s); len(r) > 60 {
		cut := string(r[:60])
		if i := strings.LastIndexByte(cut, ' '); i > 30 {
			cut = cut[:i]
		}
		s = cut + " …"
	}
	return s
}
