package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
)

func TestParseSheetSample(t *testing.T) {
	data, err := os.ReadFile("testdata/sheets/sample.md")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ParseSheet("sample.md", data)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Meta.ID != "mau-thu-tuc" || sh.Meta.Code != "9.999999" || sh.Title != "Thủ tục mẫu để kiểm thử" {
		t.Errorf("meta = %+v, title %q", sh.Meta, sh.Title)
	}
	if len(sh.Meta.Aliases) != 2 || sh.Meta.Metadata["ministry"] != "bo-kiem-thu" {
		t.Errorf("aliases/metadata = %v / %v", sh.Meta.Aliases, sh.Meta.Metadata)
	}
	var got []string
	for _, s := range sh.Sections {
		got = append(got, s.Canonical)
	}
	want := []string{thutuc.SectionOverview, thutuc.SectionDocuments, thutuc.SectionFees, thutuc.SectionDeadline, thutuc.SectionOther}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sections = %v, want %v", got, want)
	}
	fees := sh.Sections[2]
	if fees.Line != 31 {
		t.Errorf("fees heading line = %d, want 31", fees.Line)
	}
	if len(fees.Blocks) != 1 || fees.Blocks[0].Kind != "list" || len(fees.Blocks[0].Items) != 2 ||
		fees.Blocks[0].Items[0] != "**Trực tiếp**: 50.000 đồng." {
		t.Errorf("fee blocks = %+v", fees.Blocks)
	}
	other := sh.Sections[4]
	if other.Heading != "Ghi chú riêng" || other.Blocks[len(other.Blocks)-1].Kind != "table" {
		t.Errorf("other section = %+v", other)
	}
}

func TestParseSheetErrors(t *testing.T) {
	valid := "---\nid: a\ncode: \"1.1\"\ntitle: T\nkind: procedure\nsource_url: https://x.vn/a\n---\n# T\n"
	tests := []struct {
		name, in, want string
		line           int
	}{
		{"no front matter", "# T\n", "missing front matter", 1},
		{"unclosed", "---\nid: a\n", "not closed", 1},
		{"bad yaml", "---\nid: a\ntitle: [x\n---\n", "front matter", 3},
		{"unknown field", "---\nid: a\ntitel: x\n---\n", "titel", 3},
		{"missing id", "---\ntitle: x\n---\n", "id is required", 1},
		{"bad id", strings.Replace(valid, "id: a", "id: Hộ Chiếu", 1), "id", 1},
		{"bad kind", strings.Replace(valid, "kind: procedure", "kind: law", 1), "kind", 1},
		{"procedure without code", strings.Replace(valid, "code: \"1.1\"\n", "", 1), "code", 1},
		{"bad url", strings.Replace(valid, "https://x.vn/a", "ftp://x", 1), "source_url", 1},
		{"bad date", strings.Replace(valid, "kind: procedure", "kind: procedure\nas_of: 1/7/2025", 1), "as_of", 1},
		{"invalid utf8", "---\nid: \xff\n---\n", "UTF-8", 0},
		{"nul byte", valid + "\x00", "NUL", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSheet("f.md", []byte(tt.in))
			if err == nil {
				t.Fatal("want an error")
			}
			se, ok := err.(*SheetError)
			if !ok || se.Path != "f.md" {
				t.Fatalf("error %v is not a SheetError for f.md", err)
			}
			if !strings.Contains(err.Error(), tt.want) || se.Line != tt.line {
				t.Errorf("error = %q (line %d), want it to mention %q at line %d", err, se.Line, tt.want, tt.line)
			}
		})
	}
	if _, err := ParseSheet("ok.md", []byte(valid)); err != nil {
		t.Errorf("valid sheet: %v", err)
	}
}

func TestRegulationArticles(t *testing.T) {
	src := "---\nid: luat\ntitle: Luật\nkind: regulation\nsource_url: https://vbpl.vn/\n---\n# Luật\n\nMở đầu.\n\n## Điều 1. Phạm vi\n- Một.\n\n## Điều 20a. Khác\nHai.\n"
	sh, err := ParseSheet("l.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Sections) != 3 || sh.Sections[1].Article != "1" || sh.Sections[2].Article != "20a" || sh.Sections[2].Canonical != thutuc.SectionArticle {
		t.Errorf("sections = %+v", sh.Sections)
	}
}

func TestSectionNames(t *testing.T) {
	tests := map[string]string{
		"Thành phần hồ sơ": thutuc.SectionDocuments, "THANH PHAN HO SO": thutuc.SectionDocuments,
		"Phí, lệ phí": thutuc.SectionFees, "Thời hạn giải quyết": thutuc.SectionDeadline,
		"Trình tự thực hiện": thutuc.SectionSteps, "Cách thức thực hiện": thutuc.SectionChannels,
		"Cơ quan thực hiện": thutuc.SectionAgency, "Đối tượng thực hiện": thutuc.SectionApplicants,
		"Yêu cầu, điều kiện": thutuc.SectionConditions, "Kết quả thực hiện": thutuc.SectionResult,
		"Căn cứ pháp lý": thutuc.SectionLegalBasis, "Mẫu đơn, tờ khai": thutuc.SectionForms,
		"Lưu ý": thutuc.SectionOther,
	}
	for h, want := range tests {
		if got := SectionName(h); got != want {
			t.Errorf("SectionName(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestChunksStayInSectionsAndBounded(t *testing.T) {
	procs, _ := filepath.Glob("../corpus/procedures/*.md")
	regs, _ := filepath.Glob("../corpus/regulations/*.md")
	files := append(append(procs, regs...), "testdata/sheets/sample.md")
	if len(files) < 30 {
		t.Fatalf("corpus not found (%d files)", len(files))
	}
	const max = 400
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sh, err := ParseSheet(f, data)
		if err != nil {
			t.Fatalf("%v", err)
		}
		chunks := Chunks(sh, ChunkOptions{MaxRunes: max})
		sectionText := map[string]string{}
		for _, s := range sh.Sections {
			for _, b := range s.Blocks {
				sectionText[s.Heading] += b.Text + "\n"
			}
		}
		for i, c := range chunks {
			if c.Ordinal != i {
				t.Errorf("%s chunk %d: ordinal %d", f, i, c.Ordinal)
			}
			if n := utf8.RuneCountInString(c.Text); n > max {
				t.Errorf("%s chunk %d: %d runes > %d", f, i, n, max)
			}
			if c.HeadingPath[0] != sh.Title {
				t.Errorf("%s chunk %d: heading path %v does not start with the title", f, i, c.HeadingPath)
			}
			// Every line of a chunk comes from its own section: chunks never span sections.
			for _, line := range strings.Split(c.Text, "\n") {
				if strings.TrimSpace(line) != "" && !strings.Contains(sectionText[c.Heading], strings.TrimSpace(line)) {
					t.Errorf("%s chunk %d (%s): line %q not in its section", f, i, c.Heading, line)
				}
			}
		}
	}
}

func TestSplitLongKeepsText(t *testing.T) {
	s := strings.Repeat("Một câu khá dài về thủ tục hành chính. ", 80)
	parts := splitLong(s, 200)
	if len(parts) < 10 {
		t.Fatalf("got %d parts", len(parts))
	}
	joined := strings.Join(parts, " ")
	if strings.Join(strings.Fields(joined), " ") != strings.Join(strings.Fields(s), " ") {
		t.Error("splitting lost or changed text")
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) > 200 {
			t.Errorf("part of %d runes", utf8.RuneCountInString(p))
		}
	}
}

func FuzzParseSheet(f *testing.F) {
	sample, _ := os.ReadFile("testdata/sheets/sample.md")
	f.Add(sample)
	f.Add([]byte("---\nid: a\ntitle: T\nkind: regulation\nsource_url: https://x.vn\n---\n## Điều 1. X\n- a\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: a\n---\n## \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := ParseSheet("fuzz.md", data)
		if err != nil {
			if _, ok := err.(*SheetError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if sh.Meta.ID == "" || sh.Title == "" {
			t.Fatalf("accepted a sheet without id or title: %+v", sh.Meta)
		}
		for _, c := range Chunks(sh, ChunkOptions{MaxRunes: 100}) {
			if utf8.RuneCountInString(c.Text) > 100 {
				t.Fatalf("chunk over the limit: %d runes", utf8.RuneCountInString(c.Text))
			}
			if !utf8.ValidString(c.Text) {
				t.Fatal("chunk is not valid UTF-8")
			}
		}
	})
}
