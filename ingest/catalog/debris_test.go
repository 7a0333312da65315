package catalog

// Debris: what a citizen reading a sheet should not see, counted per pattern over the sheets
// written for the whole catalog. The patterns are read off the Markdown, not the record, so that
// the same count measures the writer before and after a change.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/thutuc/thutuc/plain"
	"github.com/thutuc/thutuc/vntext"
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
	fileTokenRe  = regexp.MustCompile(`[^\s():,;]+\.(?i:docx|doc|pdf|xlsx|xls)\b`)
	mdDanglingRe = regexp.MustCompile(`(^|[\s;,:.])[+\-]\.?$`)
	mdNumMarkRe  = regexp.MustCompile(`^(?:\((\d{1,2})\)|(\d{1,2})\\?[.)])\s`)
	brokenRe     = regexp.MustCompile(`^\p{Ll}`)
	itemMarkRe   = regexp.MustCompile(`^(?:[a-zđ]{1,2}\d?|[ivx]{1,5})[).]\s`)
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
func sheetDebris(md []byte) debrisCounts { return sheetDebrisLines(md, nil) }

// sheetDebrisLines is sheetDebris that also calls seen, when not nil, with each line that
// shows a pattern.
func sheetDebrisLines(md []byte, seen func(pattern, line string)) debrisCounts {
	d := debrisCounts{}
	if seen == nil {
		seen = func(string, string) {}
	}
	lines := sheetLines(md)
	formsEmpty, docsNameForms := false, 0
	prevSection := "" // the section of the last list item
	var marks []int
	var markKey string
	flushMarks := func() {
		if numberingBroken(marks) {
			d[debrisNumbering] += len(marks)
			seen(debrisNumbering, fmt.Sprint("numbers ", marks))
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
			seen(debrisMechanics, t)
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
				seen(debrisGarbled, t)
				break
			}
		}
		letters := 0
		for _, r := range t {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if strings.HasPrefix(t, ")") || strings.HasPrefix(t, `\)`) || strayMarkRe.MatchString(t) || mdDanglingRe.MatchString(t) || letters < 3 {
			d[debrisFragment]++
			seen(debrisFragment, t)
		}
		if m := mdNumMarkRe.FindStringSubmatch(t); m != nil {
			n := 0
			fmt.Sscan(m[1]+m[2], &n)
			marks = append(marks, n)
		}
		if l.section != headDocuments && l.section != headForms {
			if ms := romanMarkRe.FindAllStringIndex(t, -1); len(ms) >= 2 {
				d[debrisDump]++
				seen(debrisDump, t)
			}
		}
		first := l.section != prevSection
		prevSection = l.section
		if (l.section == headSteps || l.section == headConditions) && !first && brokenRe.MatchString(t) && !itemMarkRe.MatchString(t) {
			d[debrisBroken]++
			seen(debrisBroken, t)
		}
		if stumpRe.MatchString(t) {
			d[debrisStump]++
			seen(debrisStump, t)
		}
		switch l.section {
		case headDocuments:
			if formMentionRe.MatchString(t) {
				docsNameForms++
			}
		case headForms:
			// The empty-section line, as written now or before the wording changed.
			if t == strings.TrimPrefix(strings.TrimSpace(noInfoItem), "- ") || t == "Nguồn không nêu thông tin về mục này." {
				formsEmpty = true
			}
		}
	}
	flushMarks()
	if formsEmpty && docsNameForms > 0 {
		d[debrisNoForms]++
		seen(debrisNoForms, "forms section: "+strings.TrimSpace(noInfoItem))
	}
	for k, v := range d {
		if v == 0 {
			delete(d, k)
		}
	}
	return d
}

// catalogDebris writes every record's sheet and counts its debris, by code. With
// DEBRIS_DIR set, it reads the sheets from that folder instead (files named <...#>code.md, as a
// run of an earlier version wrote them), so that two versions are measured alike. With
// DEBRIS_SAMPLES=n it logs up to n lines of each pattern.
func catalogDebris(t *testing.T) (map[string]debrisCounts, map[string][]byte) {
	t.Helper()
	sheets := map[string][]byte{}
	if dir := os.Getenv("DEBRIS_DIR"); dir != "" {
		files, err := filepath.Glob(filepath.Join(dir, "*.md"))
		if err != nil || len(files) == 0 {
			t.Fatalf("DEBRIS_DIR %s: no sheets (%v)", dir, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			code := strings.TrimSuffix(filepath.Base(f), ".md")
			sheets[code[strings.LastIndexByte(code, '#')+1:]] = data
		}
	} else {
		f, err := os.Open(catalogFile(t))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = Read(f, "dvc-procedures.jsonl", "2025-07-01", func(name string, sheet []byte) error {
			sheets[strings.TrimPrefix(name, "dvc-procedures.jsonl#")] = sheet
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	samples, _ := strconv.Atoi(os.Getenv("DEBRIS_SAMPLES"))
	shown := map[string]int{}
	codes := make([]string, 0, len(sheets))
	for c := range sheets {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := map[string]debrisCounts{}
	for _, code := range codes {
		out[code] = sheetDebrisLines(sheets[code], func(p, line string) {
			if shown[p] < samples {
				shown[p]++
				t.Logf("%s | %s | %s", p, code, line)
			}
		})
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

// TestPlainWording checks that no line of any sheet of the catalog speaks of the source's
// mechanics (plain.Mechanics), except remarks for officers ("Ghi chú nguồn: …") and the
// record's own sentences in which the same words mean something else ("… không có thông tin
// chứng minh quan hệ cha, mẹ, con …"; "nhà ở; thời gian …", which folds like "ô thời gian"):
// a phrase is the record's own when it occurs in the record's text with the words around it.
func TestPlainWording(t *testing.T) {
	if testing.Short() {
		t.Skip("whole catalog")
	}
	f, err := os.Open(catalogFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	own := 0
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec Record
			if err := json.Unmarshal(line, &rec); err != nil {
				t.Fatal(err)
			}
			p := Parse(rec)
			md := p.Markdown("2025-07-01")
			var recKey string
			for _, l := range strings.Split(string(md), "\n") {
				text := strings.TrimPrefix(l, "- ")
				if strings.HasPrefix(text, notePrefix) {
					continue
				}
				hits := plain.Mechanics(text)
				if len(hits) == 0 {
					continue
				}
				if recKey == "" {
					r := p.Record
					recKey = " " + vntext.Key(strings.Join([]string{r.Title, r.Steps, r.Conditions, r.Documents, r.Channels,
						r.Applicants, r.Agency, r.CompetentAgency, r.ReceivingAddress, r.Result}, " \n ")) + " "
				}
				if !recordsOwn(text, hits, recKey) {
					t.Errorf("%s: %q speaks of the source (%v)", rec.Code, l, hits)
				} else {
					own++
				}
			}
		}
		if rerr == io.EOF {
			break
		} else if rerr != nil {
			t.Fatal(rerr)
		}
	}
	t.Logf("%d lines hold the phrases in the record's own sentences", own)
}

// recordsOwn reports whether every phrase of hits occurs in text between two words that the
// record's text (folded, recKey) also has around it.
func recordsOwn(text string, hits []string, recKey string) bool {
	words := strings.Fields(vntext.Key(text))
	for _, h := range hits {
		hw := strings.Fields(h)
		found := false
		for i := 1; i+len(hw) < len(words); i++ {
			if strings.Join(words[i:i+len(hw)], " ") != h {
				continue
			}
			ctx := " " + strings.Join(words[i-1:i+len(hw)+1], " ") + " "
			if !strings.Contains(recKey, ctx) {
				return false
			}
			found = true
		}
		if !found {
			return false
		}
	}
	return true
}
