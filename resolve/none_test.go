package resolve

import (
	"math"
	"slices"
	"testing"
)

// TestNoneFeatures checks the length features of "none": a long message is likelier about
// none, less so when it names a procedure.
func TestNoneFeatures(t *testing.T) {
	named := func(v float64) Candidate {
		c := capLai
		c.Features = make(Features, len(CandidateFeatures))
		c.Features[slices.Index(CandidateFeatures, "named")] = v
		return c
	}
	length := slices.Index(NoneFeatures, "length")
	lengthNamed := slices.Index(NoneFeatures, "length_named")
	for _, tc := range []struct {
		text       string
		cands      []Candidate
		length, ln float64
	}{
		{"làm lại căn cước", []Candidate{named(1)}, math.Log1p(4), math.Log1p(4)},
		{"làm lại căn cước", []Candidate{named(0.5), named(0.25)}, math.Log1p(4), math.Log1p(4) / 2},
		{"hôm qua đi chợ tôi đánh rơi mất cái ví", []Candidate{named(0)}, math.Log1p(10), 0},
		{"", nil, 0, 0},
	} {
		g := newMessage(tc.text, nil, nil).noneFeatures(tc.cands, false)
		if len(g) != len(NoneFeatures) {
			t.Fatalf("%q: %d none features, want %d", tc.text, len(g), len(NoneFeatures))
		}
		if math.Abs(g[length]-tc.length) > 1e-9 || math.Abs(g[lengthNamed]-tc.ln) > 1e-9 {
			t.Errorf("%q: length %.3f, length_named %.3f; want %.3f, %.3f", tc.text, g[length], g[lengthNamed], tc.length, tc.ln)
		}
	}
}
