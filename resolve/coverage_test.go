package resolve

import (
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
)

func TestCoverage(t *testing.T) {
	name := postgres.DocumentName{Title: "Cấp hộ chiếu phổ thông", Aliases: []string{"làm passport"}}
	res := thutuc.SearchResult{Sections: []thutuc.SearchSection{{Text: "Nộp tờ khai và ảnh chân dung tại Công an tỉnh."}}}
	tests := []struct {
		q         string
		cover     float64
		pairs     int
		pairShare float64
	}{
		{"làm hộ chiếu phổ thông", 1, 3, 1},     // làm is a stop word; the title's three pairs
		{"lam ho chieu", 1, 1, 1},               // folded words match accented text
		{"hồ chiếu", 0.5, 0, 0},                 // typed accents must match: hồ is not hộ
		{"ảnh chân dung mèo", 0.75, 2, 2.0 / 3}, // from a section; mèo nowhere
		{"passport tờ khai", 1, 1, 0.5},         // an alias, a section: the pair across them is not side by side
		{"và", 0, 0, 0},                         // no topic word
	}
	for _, tt := range tests {
		cover, pairs, share := Coverage(vntext.Words(tt.q), name, res)
		if cover != tt.cover || pairs != tt.pairs || share != tt.pairShare {
			t.Errorf("Coverage(%q) = %.3f, %d, %.3f; want %.3f, %d, %.3f", tt.q, cover, pairs, share, tt.cover, tt.pairs, tt.pairShare)
		}
	}
}
