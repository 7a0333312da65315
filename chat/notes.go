package chat

import (
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/plain"
	"github.com/thutuc/thutuc/vntext"
)

// The composer shows notes after a fact (package plain): a rule whose end date has passed, and
// a paper that no longer exists which a record still asks for.

// hide reports whether a fact is left out of this audience's answer.
func (b *builder) hide(f fact) bool {
	return b.audience != AudienceOfficer && plain.IsSourceNote(f.display)
}

// isProcedure: a procedure's passage that may ask for a paper (not its legal basis), and
// does not already say the paper is no longer valid.
func isProcedure(p passage) bool {
	if p.kind == thutuc.KindRegulation || p.section == thutuc.SectionLegalBasis {
		return false
	}
	k := " " + vntext.Key(p.text) + " "
	return !strings.Contains(k, " khong con gia tri ") && !strings.Contains(k, " het gia tri ")
}

// notes are the notes shown with a fact today (plain.EndedNote, plain.PaperNote). The passage
// is read only for a fact that names an abolished paper.
func (b *builder) notes(p passage, f fact) []string {
	var out []string
	if n := plain.EndedNote(f.display, b.today); n != "" {
		out = append(out, n)
	}
	if n := plain.PaperNote(f.display, b.today); n != "" && isProcedure(p) {
		out = append(out, n)
	}
	return out
}
