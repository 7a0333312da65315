package catalog_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
)

// golden compares got with the file at path, or rewrites the file with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ingest/catalog -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", t.Name(), path, got)
	}
}

// TestCleanGolden writes the sheets of synthetic records, written for these tests, that show
// each kind of debris the catalog holds: garbled form file names, stray "+)" marks, numbering
// out of order or with gaps, forms named only in a document's name, (i) … (iii) enumerations,
// fields cut mid-sentence and lines broken mid-sentence. The whole sheet is the golden file;
// none has debris left.
func TestCleanGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "clean", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var rec catalog.Record
			if err := json.Unmarshal(data, &rec); err != nil {
				t.Fatal(err)
			}
			md := catalog.Parse(rec).Markdown("2025-07-01")
			if _, err := ingest.ParseSheet(name+".md", md); err != nil {
				t.Errorf("sheet does not parse: %v", err)
			}
			if d := catalog.DebrisCounts(md); len(d) > 0 {
				t.Errorf("debris left: %v", d)
			}
			golden(t, filepath.Join("testdata", "clean", name+".golden.md"), md)
		})
	}
}

// realGoldenCodes are 1.001742, whose steps are only a stump the crawler cut, and the 20
// records of the catalog with the most debris before it was cleaned.
var realGoldenCodes = []string{
	"1.001742",
	"1.013327", "1.014913", "1.013328", "2.002011", "1.004411", "1.009129", "3.000138", "2.001428", "3.000226", "3.000243",
	"3.000244", "3.000246", "3.000283", "3.000331", "6.003637", "1.002544", "1.014208", "2.001709", "3.000224", "3.000272",
}

// realSummary is what the golden files of real records hold: facts about the sheet, never its
// text (the catalog's text is not committed).
type realSummary struct {
	Code     string         `json:"code"`
	Sections map[string]int `json:"section_items"`
	Notes    int            `json:"source_notes"`
	Debris   map[string]int `json:"debris"`
	SHA256   string         `json:"sha256"`
}

// TestCleanReal checks the sheets of the real records in realGoldenCodes against golden
// summaries: items per section, remarks for officers, debris left, and the sheet's hash.
func TestCleanReal(t *testing.T) {
	recs := readCatalog(t, realGoldenCodes...)
	for _, code := range realGoldenCodes {
		t.Run(code, func(t *testing.T) {
			rec, ok := recs[code]
			if !ok {
				t.Fatalf("record %s not in the catalog", code)
			}
			md := catalog.Parse(rec).Markdown("2025-07-01")
			sh, err := ingest.ParseSheet(code+".md", md)
			if err != nil {
				t.Fatalf("sheet does not parse: %v", err)
			}
			sum := sha256.Sum256(md)
			s := realSummary{Code: code, Sections: map[string]int{}, Debris: catalog.DebrisCounts(md), SHA256: hex.EncodeToString(sum[:])}
			for _, sec := range sh.Sections {
				for _, b := range sec.Blocks {
					s.Sections[sec.Canonical] += len(b.Items)
					if b.Kind == "paragraph" && strings.HasPrefix(b.Text, "Ghi chú nguồn: ") {
						s.Notes++
					}
				}
			}
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "real", code+".golden.json"), append(got, '\n'))
		})
	}
	// 1.001742: its steps are a stump, dropped, and the section says so.
	md := string(catalog.Parse(recs["1.001742"]).Markdown("2025-07-01"))
	steps := md[strings.Index(md, "## Trình tự thực hiện"):]
	steps = steps[:strings.Index(steps[3:], "## ")+3]
	if want := "- Nội dung mục này trên trang chính thức bị cắt, chưa đầy đủ; xem tại: " + recs["1.001742"].URL + ".\n"; !strings.Contains(steps, want) {
		t.Errorf("steps of 1.001742 lack %q:\n%s", want, steps)
	}
	if strings.Contains(steps, "(.") || strings.Count(steps, "\n- ") != 1 {
		t.Errorf("steps of 1.001742 keep the stump:\n%s", steps)
	}
}
