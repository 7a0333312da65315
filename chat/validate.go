package chat

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/thutuc/thutuc/vntext"
)

// validateAnswer checks a generated answer against its sources: every marker [n] names a
// provided citation, the answer cites at least one, every number (amounts, days, form codes
// such as CT01, document numbers, dates) appears in a quote cited on the same line or
// paragraph or in the cited passages' own metadata (title, code, article, as-of date), and no run of
// the system prompt is repeated. It returns what is wrong, or nil.
func validateAnswer(answer string, cites []Citation, systemPrompt string) error {
	byN := make(map[int]Citation, len(cites))
	for _, c := range cites {
		byN[c.N] = c
	}
	all := markerPattern.FindAllStringSubmatch(answer, -1)
	if len(all) == 0 {
		return fmt.Errorf("no citation marker")
	}
	for _, m := range all {
		n, _ := strconv.Atoi(m[1])
		if _, ok := byN[n]; !ok {
			return fmt.Errorf("marker [%d] names no source", n)
		}
	}
	for _, para := range paragraphs(answer) {
		paraCites := markersIn(strings.Join(para, "\n"))
		for _, line := range para {
			cited := markersIn(line)
			if len(cited) == 0 {
				cited = paraCites
			}
			if err := checkNumbers(line, cited, byN); err != nil {
				return err
			}
		}
	}
	if leaked := leakedLine(answer, systemPrompt); leaked != "" {
		return fmt.Errorf("answer repeats the system prompt: %q", leaked)
	}
	return nil
}

// paragraphs splits text into runs of non-blank lines.
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func markersIn(s string) []int {
	var out []int
	for _, m := range markerPattern.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// listPrefix is a list marker at the start of a line ("- ", "3. ", "- [ ] ").
var listPrefix = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?`)

// checkNumbers fails when line states a number that none of the cited sources contains.
func checkNumbers(line string, cited []int, byN map[int]Citation) error {
	body := markerPattern.ReplaceAllString(listPrefix.ReplaceAllString(line, ""), " ")
	nums := numberTokens(body)
	if len(nums) == 0 {
		return nil
	}
	allowed := map[string]bool{}
	for _, n := range cited {
		c := byN[n]
		for _, s := range []string{c.Quote, c.Title, c.Code, c.Article, c.AsOf, viDate(c.AsOf)} {
			for _, t := range numberTokens(s) {
				allowed[t] = true
			}
		}
	}
	for _, t := range nums {
		if !allowed[t] {
			if len(cited) == 0 {
				return fmt.Errorf("number %q has no citation", t)
			}
			return fmt.Errorf("number %q is in no cited quote %v", t, cited)
		}
	}
	return nil
}

// numberTokens returns the words of s that contain a digit (200.000, 8, CT01, 49/2019/QH14),
// lower-cased, with any trailing punctuation removed.
func numberTokens(s string) []string {
	var out []string
	for _, t := range vntext.Tokens(vntext.Normalize(s)) {
		if strings.ContainsFunc(t, unicode.IsDigit) {
			out = append(out, strings.TrimRight(t, ".,"))
		}
	}
	return out
}

// leakWindow is how many consecutive words of the system prompt count as a leak.
const leakWindow = 8

// leakedLine returns a run of leakWindow words of the system prompt that the answer repeats
// (compared without case, accents or punctuation), or "".
func leakedLine(answer, systemPrompt string) string {
	a := " " + vntext.Key(answer) + " "
	words := strings.Fields(vntext.Key(systemPrompt))
	for i := 0; i+leakWindow <= len(words); i++ {
		w := strings.Join(words[i:i+leakWindow], " ")
		if strings.Contains(a, " "+w+" ") {
			return w
		}
	}
	return ""
}
