package chat

import (
	"sort"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/resolve"
)

// The national catalog holds many procedures once per level, as separate documents with
// their own codes and pages: "Cấp đổi thẻ căn cước" at commune, province and ministry level.
// Their titles are the same, or differ only by a level phrase ("… (thực hiện tại cấp tỉnh)").
// Such level variants are one procedure to a citizen: retrieval ranks the level they most
// likely mean first, the answer is given from that one and names the others, and they are
// never offered side by side as if they were different procedures.

// maxLevelVariants bounds the other levels an answer names.
const maxLevelVariants = 3

// levelsLead starts the line naming the other levels of the answered procedure.
const levelsLead = "Thủ tục này cũng có ở cấp khác: "

// LevelVariant is a document of the same procedure at another level, as the records give it:
// the facts the answer names (level, code, official page) and no more. Answers list them in
// Response.OtherLevels, the source of the line that names them.
type LevelVariant struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Level     string `json:"level,omitempty"`
	Code      string `json:"code,omitempty"`
	SourceURL string `json:"source_url,omitempty"`
}

func newLevelVariant(r thutuc.SearchResult) LevelVariant {
	return LevelVariant{ID: r.DocumentID, Title: r.Title, Level: r.Level, Code: r.Code, SourceURL: r.SourceURL}
}

// variantGroup is the key shared by a document and its level variants. Only procedures have
// levels; any other document is a group of its own.
func variantGroup(r thutuc.SearchResult) string {
	if r.Kind != thutuc.KindProcedure {
		return "\x00" + r.DocumentID
	}
	if k := kb.VariantKey(r.Title); k != "" {
		return k
	}
	return "\x00" + r.DocumentID
}

// isLevelVariant reports whether two search results are different documents of the same
// procedure, at different levels (or the same one).
func isLevelVariant(a, b thutuc.SearchResult) bool {
	return a.DocumentID != b.DocumentID && variantGroup(a) == variantGroup(b)
}

// otherLevels keeps the variants whose level differs from the answered document's, at most
// maxLevelVariants: a copy at the same level (another locality's, say) is not "another
// level", and saying so would mislead.
func otherLevels(vs []LevelVariant, level string) []LevelVariant {
	own := levelSet(level)
	var out []LevelVariant
	for _, v := range vs {
		if len(out) == maxLevelVariants {
			break
		}
		if len(own) > 0 && levelSet(v.Level) == own {
			continue
		}
		out = append(out, v)
	}
	return out
}

// levelSet is the sorted level keys of a level string ("Cấp tỉnh, Cấp xã" → "tinh xa").
func levelSet(level string) string {
	keys := postgres.LevelKeys(level)
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

// variantsLine names the other levels of the answered procedure with their codes and official
// pages, all taken from the records; "" when there are none.
func variantsLine(vs []LevelVariant) string {
	if len(vs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		p := strings.TrimSpace(v.Level)
		if p == "" {
			p = v.Title
		}
		if v.Code != "" {
			p += " — mã " + v.Code
		}
		if v.SourceURL != "" {
			p += " <" + v.SourceURL + ">"
		}
		parts = append(parts, p)
	}
	return levelsLead + strings.Join(parts, "; ") + "."
}

// candidateRefs returns the chips of a clarification: each offered procedure with the facet
// value that sets it apart. A title chip of procedures whose titles are the same gets the
// document's level appended ("Cấp đổi thẻ căn cước (Cấp tỉnh)").
func candidateRefs(f *resolve.Facet) []Candidate {
	if f == nil {
		return []Candidate{}
	}
	out := make([]Candidate, 0, len(f.Options))
	for _, o := range f.Options {
		out = append(out, Candidate{ID: o.ID, Title: o.Title, Label: o.Label})
	}
	return out
}
