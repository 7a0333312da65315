package catalog

// Debris: what a citizen reading a sheet should not see, counted per pattern over the sheets
// written for the whole catalog. The patterns are read off the Markdown, not the record, so that
// the same count measures the writer before and after a change.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/thutuc/thutuc/plain"
)

// Debris patterns, in the order they are reported.
const (
	debrisGarbled   = "garbled file name"
	debrisFragment  = "stray fragment"
	debrisNumbering = "numbering out of order or with gaps"
	debrisNoForms   = "\"no forms\" beside named forms"
	debrisDump      = "(i)…(v) dump in one item"
	debrisStump     = "field cut mid-sentence"
	debrisBroken    = "line broken mid-sentence"
	debrisMechanics = "source-mechanics phrase"
)

var debrisPatterns = []string{debrisGarbled, debrisFragment, debrisNumbering, debrisNoForms, debrisDump, debrisStump, debrisBroken, debrisMechanics}

var (
	fileTokenRe   = regexp.MustCompile(`[^\s():,;]+\.(?i:docx|doc|pdf|xlsx|xls)\b`)
	strayMarkRe   = regexp.MustCompile(`(^|[^(\pL\pN])[+\-]\)`)
	danglingRe    = regexp.MustCompile(`(^|[\s;,:.])[+\-]\.?$`)
	numMarkRe     = regexp.MustCompile(`^(?:\((\d{1,2})\)|(\d{1,2})\\?[.)])\s`)
	romanRe       = regexp.MustCompile(`(?:^|[:;.]\s*)\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s+\p{Lu}`)
	brokenRe      = regexp.MustCompile(`^\p{Ll}`)
	itemMarkRe    = regexp.MustCompile(`^[a-zđ]{1,2}[).]\s`)
	formMentionRe = regexp.MustCompile(`(?i)\bm(?:ẫu|au)\s+(?:số\s+|so\s+)?(?:\d{1,3}[a-z]?\b|[A-ZĐ]{1,5}\d{1,4}[a-z]?\b)`)
	stumpRe       = regexp.MustCompile(`(?:\(\s*|\s(?:tại|tại mục|mục|của|và|hoặc|các|những|với|là|đến))\.$`)
)

// debrisCounts are the lines of one sheet that show each pattern.
type debrisCounts map[string]int

func (d debrisCounts) total() int {
	n := 0
	for _, v := range d {
		n += v
	}
	return n
}

// mdLine is one line of a sheet with the section and sub-heading it is under.
type mdLine struct {
	section, group string
	item           bool   // a list item
	text           string // without the list marker
}

func sheetLines(md []byte) []mdLine {
	var out []mdLine
	section, group := "", ""
	front := 0
	for _, l := range strings.Split(string(md), "\n") {
		if front < 2 {
			if l == "---" {
				front++
			}
			out = append(out, mdLine{text: l})
			continue
		}
		switch {
		case strings.HasPrefix(l, "## "):
			section, group = strings.TrimPrefix(l, "## "), ""
		case strings.HasPrefix(l, "### "):
			group = strings.TrimPrefix(l, "### ")
		case strings.HasPrefix(l, "- "):
			out = append(out, mdLine{section: section, group: group, item: true, text: strings.TrimPrefix(l, "- ")})
		case l != "":
			out = append(out, mdLine{section: section, group: group, text: l})
		}
	}
	return out
}

// sheetDebris counts the debris in one sheet.
func sheetDebris(md []byte) debrisCounts {
	d := debrisCounts{}
	lines := sheetLines(md)
	formsEmpty, docsNameForms := false, 0
	var marks []int
	var markKey string
	flushMarks := func() {
		if numberingBroken(marks) {
			d[debrisNumbering] += len(marks)
		}
		marks = marks[:0]
	}
	for _, l := range lines {
		t := l.text
		if strings.HasPrefix(t, notePrefix) {
			continue // remarks for officers
		}
		if len(plain.Mechanics(t)) > 0 {
			d[debrisMechanics]++
		}
		if l.section == "" {
			continue
		}
		key := l.section + "\x00" + l.group
		if key != markKey {
			flushMarks()
			markKey = key
		}
		if !l.item {
			continue
		}
		for _, tok := range fileTokenRe.FindAllString(t, -1) {
			if garbledName(tok) {
				d[debrisGarbled]++
				break
			}
		}
		letters := 0
		for _, r := range t {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if strings.HasPrefix(t, ")") || strings.HasPrefix(t, `\)`) || strayMarkRe.MatchString(t) || danglingRe.MatchString(t) || letters < 3 {
			d[debrisFragment]++
		}
		if m := numMarkRe.FindStringSubmatch(t); m != nil {
			n := 0
			fmt.Sscan(m[1]+m[2], &n)
			marks = append(marks, n)
		}
		if l.section != headDocuments && l.section != headForms {
			if ms := romanRe.FindAllStringIndex(t, -1); len(ms) >= 2 {
				d[debrisDump]++
			}
		}
		if (l.section == headSteps || l.section == headConditions) && brokenRe.MatchString(t) && !itemMarkRe.MatchString(t) {
			d[debrisBroken]++
		}
		if stumpRe.MatchString(t) {
			d[debrisStump]++
		}
		switch l.section {
		case headDocuments:
			if formMentionRe.MatchString(t) {
				docsNameForms++
			}
		case headForms:
			if t == strings.TrimPrefix(strings.TrimSpace(noInfoItem), "- ") {
				formsEmpty = true
			}
		}
	}
	flushMarks()
	if formsEmpty && docsNameForms > 0 {
		d[debrisNoForms]++
	}
	for k, v := range d {
		if v == 0 {
			delete(d, k)
		}
	}
	return d
}

// numberingBroken reports whether numbers of list items, read as runs that each start at 1 (a
// later 1 starts a new run), go out of order or skip a number.
func numberingBroken(nums []int) bool {
	for i := 1; i < len(nums); i++ {
		if nums[i] != 1 && nums[i] != nums[i-1]+1 {
			return true
		}
	}
	return false
}

// catalogDebris writes every record's sheet and counts its debris, by code.
func catalogDebris(t *testing.T) (map[string]debrisCounts, map[string][]byte) {
	t.Helper()
	f, err := os.Open(catalogFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, sheets := map[string]debrisCounts{}, map[string][]byte{}
	_, err = Read(f, "dvc-procedures.jsonl", "2025-07-01", func(name string, sheet []byte) error {
		code := strings.TrimPrefix(name, "dvc-procedures.jsonl#")
		out[code], sheets[code] = sheetDebris(sheet), sheet
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out, sheets
}

// catalogFile is the real catalog beside the project; the test is skipped when it is absent.
func catalogFile(t testing.TB) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "dvc-procedures.jsonl")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available: %v", err)
	}
	return p
}

// TestDebris prints, per pattern, how many records and lines of the catalog's sheets show it
// (go test -run Debris -v ./ingest/catalog/).
func TestDebris(t *testing.T) {
	if testing.Short() {
		t.Skip("whole catalog")
	}
	all, _ := catalogDebris(t)
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	fmt.Fprintf(w, "%-40s %8s %8s\n", "pattern", "records", "lines")
	for _, p := range debrisPatterns {
		recs, lines := 0, 0
		for _, d := range all {
			if d[p] > 0 {
				recs++
				lines += d[p]
			}
		}
		fmt.Fprintf(w, "%-40s %8d %8d\n", p, recs, lines)
	}
	codes := make([]string, 0, len(all))
	for c := range all {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if a, b := all[codes[i]].total(), all[codes[j]].total(); a != b {
			return a > b
		}
		return codes[i] < codes[j]
	})
	fmt.Fprintf(w, "worst:")
	for _, c := range codes[:20] {
		fmt.Fprintf(w, " %s(%d)", c, all[c].total())
	}
	w.Flush()
	t.Logf("debris over %d sheets:\n%s", len(all), b.String())
}
