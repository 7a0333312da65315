package retrieval

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// Lexicon maps everyday words and abbreviations (sổ đỏ, CCCD, bằng lái) to official terms.
// Matching ignores case, diacritics and tone placement and respects word boundaries.
type Lexicon struct {
	entries []lexEntry
}

type lexEntry struct {
	key      []string // folded words of the everyday term
	terms    []string // official terms, normalised
	everyday string
}

// ParseLexicon reads the lexicon format of corpus/README.md: "everyday<TAB>term|term", with
// '#' comments and blank lines.
func ParseLexicon(data []byte) (*Lexicon, error) {
	lx := &Lexicon{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		everyday, terms, ok := strings.Cut(s, "\t")
		if !ok {
			return nil, fmt.Errorf("lexicon line %d: want everyday<TAB>official terms", line)
		}
		key := vntext.Tokens(vntext.Fold(vntext.Normalize(everyday)))
		if len(key) == 0 {
			return nil, fmt.Errorf("lexicon line %d: empty everyday term", line)
		}
		e := lexEntry{key: key, everyday: strings.TrimSpace(everyday)}
		for _, t := range strings.Split(terms, "|") {
			if t = vntext.Normalize(strings.TrimSpace(t)); t != "" {
				e.terms = append(e.terms, t)
			}
		}
		if len(e.terms) == 0 {
			return nil, fmt.Errorf("lexicon line %d: no official term", line)
		}
		lx.entries = append(lx.entries, e)
	}
	return lx, sc.Err()
}

// Len returns the number of entries.
func (lx *Lexicon) Len() int { return len(lx.entries) }

// Expansion is one lexicon match in a query.
type Expansion struct {
	Everyday string   `json:"everyday"`
	Terms    []string `json:"terms"`
}

// Expand returns the official terms for every everyday term found in the (normalised) query
// words. Longer matches win over the shorter ones they contain ("làm lại căn cước" over
// "căn cước").
func (lx *Lexicon) Expand(words []string) []Expansion {
	if lx == nil || len(words) == 0 {
		return nil
	}
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = vntext.Fold(w)
	}
	type match struct {
		start, end int
		e          *lexEntry
	}
	var matches []match
	for i := range lx.entries {
		e := &lx.entries[i]
		for start := 0; start+len(e.key) <= len(folded); start++ {
			ok := true
			for j, k := range e.key {
				if folded[start+j] != k {
					ok = false
					break
				}
			}
			if ok {
				matches = append(matches, match{start, start + len(e.key), e})
			}
		}
	}
	var out []Expansion
	seen := map[string]bool{}
	for _, m := range matches {
		contained := false
		for _, o := range matches {
			if o.e != m.e && o.start <= m.start && o.end >= m.end && o.end-o.start > m.end-m.start {
				contained = true
				break
			}
		}
		if contained || seen[m.e.everyday] {
			continue
		}
		seen[m.e.everyday] = true
		out = append(out, Expansion{Everyday: m.e.everyday, Terms: m.e.terms})
	}
	return out
}
