package main

import (
	"testing"

	"github.com/thutuc/thutuc/resolve"
)

// The small store's "none" examples get the weight asked for, also when they come from a
// cache written with another one; the first store's and the right ones count as 1.
func TestWeighSmall(t *testing.T) {
	exs := []resolve.Example{{Label: -1}, {Label: 0}, {Label: -1, Weight: 0.3}, {Label: 2, Weight: 0.3}}
	got := weighSmall(exs, []int{2, 4}, 0.1)
	want := []float64{0, 0, 0.1, 0}
	for i, ex := range got {
		if ex.Weight != want[i] {
			t.Errorf("example %d: weight %v, want %v", i, ex.Weight, want[i])
		}
	}
	if got := weighSmall([]resolve.Example{{Label: -1}}, nil, 0.1); got[0].Weight != 0 {
		t.Errorf("without bounds: weight %v, want 0", got[0].Weight)
	}
}

// What a fit does to its examples (weights, left-out features) leaves the copy kept for the
// cache as it was observed.
func TestCloneExamples(t *testing.T) {
	exs := []resolve.Example{{Candidates: []resolve.Features{{1, 2}}, None: resolve.Features{3}, Label: -1}}
	kept := cloneExamples(exs)
	omitted{candidate: []int{0}, none: []int{0}}.apply(weighSmall(exs, []int{0}, 0.1))
	if kept[0].Candidates[0][0] != 1 || kept[0].None[0] != 3 || kept[0].Weight != 0 {
		t.Errorf("kept copy changed: %+v", kept[0])
	}
	if exs[0].Candidates[0][0] != 0 || exs[0].None[0] != 0 || exs[0].Weight != 0.1 {
		t.Errorf("fit's examples not changed: %+v", exs[0])
	}
}
