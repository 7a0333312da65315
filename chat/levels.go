package chat

import (
	"sort"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
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

// collapseVariants keeps one candidate per group of level variants, in the order the groups
// first appear. The one kept is the group's candidate that retrieval scored best: retrieval
// puts the level the citizen most likely means (or the one the question names) first, while
// the re-ranking here cannot tell variants apart by name.
func collapseVariants(cands []candidate) []candidate {
	var out []candidate
	at := map[string]int{}
	for _, c := range cands {
		g := variantGroup(c.res)
		i, ok := at[g]
		switch {
		case !ok:
			at[g] = len(out)
			out = append(out, c)
		case c.res.Score > out[i].res.Score:
			out[i] = c
		}
	}
	return out
}

// levelVariants returns the level variants of a document among candidates, in retrieval's
// order (the level most likely meant first), each once.
func levelVariants(of thutuc.SearchResult, cands []candidate) []LevelVariant {
	sorted := make([]candidate, len(cands))
	copy(sorted, cands)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].res.Score > sorted[j].res.Score })
	var out []LevelVariant
	seen := map[string]bool{}
	for _, c := range sorted {
		if isLevelVariant(of, c.res) && !seen[c.res.DocumentID] {
			seen[c.res.DocumentID] = true
			out = append(out, newLevelVariant(c.res))
		}
	}
	return out
}

// offeredVariants returns, for each candidate a clarification offers, its level variants
// among all candidates, so that the answer after the user's pick can still name them.
func offeredVariants(offered, cands []candidate) map[string][]LevelVariant {
	var out map[string][]LevelVariant
	for _, c := range offered {
		if vs := levelVariants(c.res, cands); len(vs) > 0 {
			if out == nil {
				out = map[string][]LevelVariant{}
			}
			out[c.res.DocumentID] = vs
		}
	}
	return out
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

// candidateRefs returns the chips of a clarification. Chips whose titles are the same get
// the document's level appended ("Cấp đổi thẻ căn cước (Cấp tỉnh)"): otherwise the user could
// not tell them apart, nor pick one by name.
func candidateRefs(cs []candidate) []Candidate {
	count := map[string]int{}
	for _, c := range cs {
		count[vntext.Key(c.res.Title)]++
	}
	out := make([]Candidate, 0, len(cs))
	for _, c := range cs {
		r := c.ref()
		if level := strings.TrimSpace(c.res.Level); count[vntext.Key(c.res.Title)] > 1 && level != "" {
			r.Title += " (" + level + ")"
		}
		out = append(out, r)
	}
	return out
}
