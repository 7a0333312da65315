package corpus_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/plain"
)

// sourceNote starts a remark meant for officers about how the source reads; the answer
// composer does not show such lines to citizens, so they may speak of the source's mechanics.
const sourceNote = "Ghi chú nguồn: "

// listMarker is what precedes a line's text in Markdown: indentation, a list or quote marker.
var listMarker = regexp.MustCompile(`^\s*(?:(?:[-*+]|\d+[.)])\s+|>\s*)?`)

// TestSheetsSpeakPlainly checks that no bundled sheet tells citizens about the source's
// mechanics ("nguồn chỉ ghi con số này", "0 bản chính", "ô phí ghi …"): every line, and every
// list item and paragraph as the answer composer quotes it, is free of plain.Mechanics'
// phrases unless it is a "Ghi chú nguồn: " remark.
func TestSheetsSpeakPlainly(t *testing.T) {
	files, err := filepath.Glob("procedures/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no procedure sheets (%v)", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			text := listMarker.ReplaceAllString(line, "")
			if strings.HasPrefix(text, sourceNote) {
				continue
			}
			if m := plain.Mechanics(text); len(m) > 0 {
				t.Errorf("%s:%d: %q speaks of the source's mechanics %q; say what a citizen needs to know, or start the line with %q", f, i+1, strings.TrimSpace(line), m, sourceNote)
			}
		}
		// A phrase may also run over a line break inside one item or paragraph.
		sh, err := ingest.ParseSheet(f, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sh.Sections {
			for _, b := range s.Blocks {
				units := b.Items
				if b.Kind != "list" {
					units = []string{b.Text}
				}
				for _, u := range units {
					if strings.HasPrefix(strings.TrimSpace(u), sourceNote) {
						continue
					}
					onLines := map[string]bool{}
					for _, line := range strings.Split(u, "\n") {
						for _, m := range plain.Mechanics(line) {
							onLines[m] = true
						}
					}
					for _, m := range plain.Mechanics(strings.Join(strings.Fields(u), " ")) {
						if !onLines[m] {
							t.Errorf("%s (%s): %q speaks of the source's mechanics %q across a line break", f, s.Heading, u, m)
						}
					}
				}
			}
		}
	}
}
