package catalog

// Cleaning the free text of a record before it is written: lines the export broke mid-sentence
// are joined, stray list marks dropped, inline (i) … (v) enumerations split into items,
// numbering that is out of order or has gaps no longer shown, and a field the crawler cut
// mid-sentence dropped from where it was cut.

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
)

var (
	// strayMarkRe finds a list mark "+)" or "-)" inside a text ("bao gồm:+) Bản sao …"), not a
	// parenthesised one ("mục (-) thứ 3").
	strayMarkRe = regexp.MustCompile(`(^|[^(\pL\pN])[+\-]\)\s*`)
	// danglingMarkRe finds a list mark left at the end of a text ("…di sản văn hóa; +").
	danglingMarkRe = regexp.MustCompile(`(?:^|[\s;,:.])[+\-]$`)
	// leadMarkRe is the list mark at the start of a line, with a stray ")" after it.
	leadMarkRe = regexp.MustCompile(`^(?:[-+*•–]+\)?\s*)+|^\)\s*`)
	// numberOnlyRe is a line that is only an item number ("5."): its text is on the next line.
	numberOnlyRe = regexp.MustCompile(`^\d{1,2}[.)]$`)
	// letterMarkRe is an item mark "a)", "đ." at the start of a line.
	letterMarkRe = regexp.MustCompile(`^(?:[a-zđ]{1,2}\d?|[ivx]{1,5})[).]\s`)
	// numMarkRe is an item number at the start of a line: "(3) ", "3. ", "3) ".
	numMarkRe = regexp.MustCompile(`^(?:\((\d{1,2})\)|(\d{1,2})[.)])\s+`)
	// romanMarkRe is a roman item mark where an enumeration item starts: at the start of a text
	// or after ":", ";" or ".", and followed by a capital.
	romanMarkRe = regexp.MustCompile(`(?:^|[:;.]\s*)(\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+\p{Lu}`)
	// stumpRe is the end of a text cut mid-sentence: an opening parenthesis, or a word that
	// cannot end a sentence.
	stumpRe = regexp.MustCompile(`(?:\(\s*|\s(?:(?:quy định|nêu|theo) tại|tại mục|của|và|hoặc|các|những|với|là))[\s.]*$`)
	// formMentionRe finds a form named in a document's name: "Mẫu số 01", "mẫu TK01".
	formMentionRe = regexp.MustCompile(`(?i)\bm(?:ẫu|au)\s+(?:số\s+|so\s+)?(?:\d{1,3}[a-z]?\b|[A-ZĐ]{1,5}\d{1,4}[a-z]?\b)`)
)

// textLines cleans a free-text field into its lines: line marks dropped, lines the export broke
// mid-sentence joined, stray marks removed, inline enumerations split, numbering that is out of
// order or has gaps removed. cut reports that the field was cut mid-sentence (the cut part is
// dropped).
func textLines(s string) (lines []string, cut bool) {
	if missing(s) {
		return nil, false
	}
	pending := "" // an item number waiting for its text
	for _, raw := range mdwrite.SplitLines(s) {
		l := mdwrite.OneLine(raw)
		l = strings.TrimSpace(leadMarkRe.ReplaceAllString(l, ""))
		if l == "" || missing(l) {
			continue
		}
		if numberOnlyRe.MatchString(l) {
			pending = l
			continue
		}
		if pending != "" {
			l, pending = pending+" "+l, ""
		}
		if n := len(lines); n > 0 {
			// A line broken mid-sentence: it goes on in lower case, or the line before ends
			// with a word that cannot end one.
			if r, _ := utf8.DecodeRuneInString(l); (unicode.IsLower(r) && !letterMarkRe.MatchString(l)) || stumpRe.MatchString(lines[n-1]) {
				lines[n-1] += " " + l
				continue
			}
		}
		lines = append(lines, l)
	}
	var out []string
	for _, l := range lines {
		for _, part := range splitEnumeration(cleanFragment(l)) {
			if letters(part) >= 3 {
				out = append(out, part)
			}
		}
	}
	out = dropBrokenNumbers(out)
	if n := len(out); n > 0 {
		if kept, ok := cutStump(out[n-1]); ok {
			cut = true
			if kept == "" {
				out = out[:n-1]
			} else {
				out[n-1] = kept
			}
		}
	}
	return out, cut
}

// cleanFragment removes stray list marks from a text.
func cleanFragment(s string) string {
	s = strings.TrimSpace(leadMarkRe.ReplaceAllString(s, ""))
	s = strayMarkRe.ReplaceAllString(s, "$1 ")
	s = danglingMarkRe.ReplaceAllString(s, "")
	return strings.TrimRight(mdwrite.Clean(s), " ;,")
}

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// splitEnumeration splits a text holding an inline enumeration "… sau: (i) A; (ii) B" into the
// text before it and one part per item; a text with fewer than two items is returned whole.
func splitEnumeration(s string) []string {
	ms := romanMarkRe.FindAllStringSubmatchIndex(s, -1)
	if len(ms) < 2 {
		return []string{s}
	}
	var parts []string
	if lead := strings.TrimSpace(s[:ms[0][2]]); lead != "" {
		parts = append(parts, lead)
	}
	for k, m := range ms {
		end := len(s)
		if k+1 < len(ms) {
			end = ms[k+1][2]
		}
		if p := strings.TrimRight(strings.TrimSpace(s[m[2]:end]), " ;,"); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// itemNumber returns the number an item starts with and the item without it (ok false when
// it has none).
func itemNumber(s string) (n int, rest string, ok bool) {
	m := numMarkRe.FindStringSubmatch(s)
	if m == nil {
		return 0, s, false
	}
	n, _ = strconv.Atoi(m[1] + m[2])
	return n, s[len(m[0]):], true
}

// numberingBroken reports whether item numbers, read as runs that each start at 1 (a later 1
// starts a new run), go out of order or skip a number.
func numberingBroken(nums []int) bool {
	for i := 1; i < len(nums); i++ {
		if nums[i] != 1 && nums[i] != nums[i-1]+1 {
			return true
		}
	}
	return false
}

// dropBrokenNumbers removes the item numbers of lines whose numbering is out of order or has
// gaps: the list is written as bullets, and a broken numbering would only mislead.
func dropBrokenNumbers(lines []string) []string {
	var nums []int
	for _, l := range lines {
		if n, _, ok := itemNumber(l); ok {
			nums = append(nums, n)
		}
	}
	if !numberingBroken(nums) {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		_, out[i], _ = itemNumber(l)
	}
	return out
}

// orderDocuments puts the numbered rows "(3) …" of each document group in the order of their
// numbers (unnumbered rows keep their places), and removes the numbers when they then do not
// run 1, 2, 3 … without a gap or a repeat (the source lists "(5), (1), (4), (3)" with no (2)).
// It returns the groups whose numbers were removed, with the numbers in the source's order.
func orderDocuments(docs []DocItem) ([]DocItem, map[string][]int) {
	out := append([]DocItem(nil), docs...)
	removed := map[string][]int{}
	for start := 0; start < len(out); {
		end := start + 1
		for end < len(out) && out[end].Group == out[start].Group {
			end++
		}
		g := out[start:end]
		var at, nums []int
		var rows []DocItem
		for i, d := range g {
			if n, _, ok := itemNumber(d.Name); ok {
				at, nums, rows = append(at, i), append(nums, n), append(rows, d)
			}
		}
		if len(nums) > 1 {
			sorted := append([]int(nil), nums...)
			sort.Ints(sorted)
			sort.SliceStable(rows, func(i, j int) bool {
				a, _, _ := itemNumber(rows[i].Name)
				b, _, _ := itemNumber(rows[j].Name)
				return a < b
			})
			gaps := sorted[0] != 1
			for i := 1; i < len(sorted); i++ {
				gaps = gaps || sorted[i] != sorted[i-1]+1
			}
			for k, i := range at {
				g[i] = rows[k]
				if gaps {
					_, g[i].Name, _ = itemNumber(g[i].Name)
				}
			}
			if gaps {
				removed[g[0].Group] = nums
			}
		}
		start = end
	}
	return out, removed
}

// cutStump drops the part of a text after which it was cut mid-sentence. It keeps the text up
// to the last full sentence when what is kept still says something (it does not end with a
// bare number such as "Bước 1."), else it keeps nothing. ok is false when the text is not cut.
func cutStump(s string) (kept string, ok bool) {
	t := strings.TrimSpace(s)
	if !stumpRe.MatchString(t) && !unclosedAtEnd(t) {
		return s, false
	}
	for i := len(t) - 1; i > 0; i-- {
		if (t[i] != ' ') || !strings.ContainsRune(".;", rune(t[i-1])) {
			continue
		}
		head := strings.TrimSpace(t[:i-1])
		next, _ := utf8.DecodeRuneInString(t[i+1:])
		if !unicode.IsUpper(next) || utf8.RuneCountInString(head) < 40 {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(head); unicode.IsDigit(r) {
			continue
		}
		return head + ".", true
	}
	return "", true
}

// unclosedAtEnd reports whether the text ends inside a parenthesis opened in its last 30 runes
// and never closed ("… tại mục 13.3 (Thành ph").
func unclosedAtEnd(s string) bool {
	i := strings.LastIndexByte(s, '(')
	if i < 0 || strings.IndexByte(s[i:], ')') >= 0 {
		return false
	}
	return utf8.RuneCountInString(s[i:]) <= 30 && !strings.ContainsAny(s[i:], ".;")
}
