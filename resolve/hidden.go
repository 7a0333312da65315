package resolve

import (
	"math"
	"math/rand/v2"
)

// Hidden is an optional layer of tanh units over a candidate's features (and margins): the
// candidate's utility adds Out·tanh(In·f + Bias) to W·f. It lets the model weigh one feature
// by another — being named in full counts for more when retrieval also ranks the candidate
// first — which a sum of weights cannot.
type Hidden struct {
	In   [][]float64 `json:"in"`   // one row of weights per unit
	Bias []float64   `json:"bias"` // per unit
	Out  []float64   `json:"out"`  // the weight of each unit in the utility
}

// utility is the layer's part of a candidate's utility, and the units' values.
func (h *Hidden) utility(f Features, units []float64) float64 {
	u := 0.0
	for k, row := range h.In {
		units[k] = math.Tanh(dot(row, f) + h.Bias[k])
		u += h.Out[k] * units[k]
	}
	return u
}

// hiddenParams maps a Hidden layer onto a slice of parameters (In row by row, then Bias,
// then Out) so that the fit updates it with the linear weights.
type hiddenParams struct {
	units, inputs int
}

func (p hiddenParams) size() int { return p.units*p.inputs + 2*p.units }

// layer views theta (of length size()) as a Hidden layer; the slices share its memory.
func (p hiddenParams) layer(theta []float64) *Hidden {
	h := &Hidden{In: make([][]float64, p.units)}
	for k := range h.In {
		h.In[k] = theta[k*p.inputs : (k+1)*p.inputs]
	}
	h.Bias = theta[p.units*p.inputs : p.units*p.inputs+p.units]
	h.Out = theta[p.units*p.inputs+p.units:]
	return h
}

// init sets small seeded random weights: the same examples give the same model.
func (p hiddenParams) init(theta []float64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	h := p.layer(theta)
	scale := 1 / math.Sqrt(float64(p.inputs))
	for _, row := range h.In {
		for i := range row {
			row[i] = (rng.Float64()*2 - 1) * scale
		}
	}
	for k := range h.Out {
		h.Out[k] = (rng.Float64()*2 - 1) * 0.1
	}
}

// backprop adds to grad (laid out like the layer's theta) the gradient of g·utility at f,
// given the units' values at f.
func (p hiddenParams) backprop(h *Hidden, f Features, units []float64, g float64, grad []float64) {
	for k := range h.In {
		gk := g * h.Out[k] * (1 - units[k]*units[k])
		row := grad[k*p.inputs : (k+1)*p.inputs]
		for i, x := range f {
			row[i] += gk * x
		}
		grad[p.units*p.inputs+k] += gk
		grad[p.units*p.inputs+p.units+k] += g * units[k]
	}
}
