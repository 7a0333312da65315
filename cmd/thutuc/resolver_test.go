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
