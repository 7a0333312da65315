package resolve

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Model is a conditional logit over a message's candidates and "none": each candidate's
// utility is W·(its features), none's is V·(the message's none features), and the
// probabilities are their softmax. The thresholds turn probabilities into decisions.
type Model struct {
	Candidate []string `json:"candidate_features"`
	// Margins name candidate features whose margin over the best other candidate (its value
	// minus the highest value among the message's other candidates) the model also weighs:
	// a candidate far ahead of the rest is likelier than one level with a sibling. W holds
	// the weights of the features, then of the margins.
	Margins []string  `json:"margin_features,omitempty"`
	W       []float64 `json:"w"`
	// Hidden, when set, adds units over the same features (and margins) to the utility.
	Hidden    *Hidden   `json:"hidden,omitempty"`
	NoneNames []string  `json:"none_features"`
	V         []float64 `json:"v"`
	// Answer: the best candidate is answered when its probability is at least this.
	Answer float64 `json:"answer"`
	// Offer and Clarify: otherwise the candidates of probability at least Offer (two to
	// MaxOffered of them) are offered when together they reach Clarify; else no answer.
	Offer   float64 `json:"offer"`
	Clarify float64 `json:"clarify"`
	// Confirm: else a lone best candidate of probability at least this is offered alone — the
	// assistant asks whether it is the one meant. 0: never.
	Confirm float64 `json:"confirm,omitempty"`
	// Fit says how the model was fit, and its figures on the dev split.
	Fit map[string]any `json:"fit,omitempty"`

	marginIdx []int // the indexes of Margins in CandidateFeatures, set by LoadModel and Fit
}

// MaxOffered bounds the procedures a clarification offers.
const MaxOffered = 4

// LoadModel reads a model written by (*Model).JSON. Its features must be the ones this build
// computes.
func LoadModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("load resolver model: %w", err)
	}
	idx, err := marginIndexes(m.Margins)
	if err != nil || !slices.Equal(m.Candidate, CandidateFeatures) || !slices.Equal(m.NoneNames, NoneFeatures) ||
		len(m.W) != len(CandidateFeatures)+len(m.Margins) || len(m.V) != len(NoneFeatures) {
		return nil, errors.New("load resolver model: its features are not this build's: run `thutuc resolver-train`")
	}
	m.marginIdx = idx
	if h := m.Hidden; h != nil {
		if len(h.Bias) != len(h.In) || len(h.Out) != len(h.In) {
			return nil, errors.New("load resolver model: its hidden layer is malformed")
		}
		for _, row := range h.In {
			if len(row) != len(m.W) {
				return nil, errors.New("load resolver model: its hidden layer's features are not this build's: run `thutuc resolver-train`")
			}
		}
	}
	if m.Answer <= 0 || m.Answer > 1 || m.Offer <= 0 || m.Clarify <= 0 {
		return nil, errors.New("load resolver model: thresholds out of range")
	}
	return &m, nil
}

// JSON encodes the model, indented.
func (m *Model) JSON() ([]byte, error) { return json.MarshalIndent(m, "", "  ") }

// score sets the probabilities of an observation's candidates and of none, and orders the
// candidates by probability.
func (m *Model) score(o *Observation) {
	fs := make([]Features, len(o.Candidates))
	for i, c := range o.Candidates {
		fs[i] = c.Features
	}
	ps := m.Probabilities(Example{Candidates: fs, None: o.NoneFeatures})
	o.None = ps[0]
	for i := range o.Candidates {
		o.Candidates[i].P = ps[i+1]
	}
	sortByP(o.Candidates)
}

// decide applies the thresholds. A message that names no subject ("nộp trực tuyến được
// không?") in a conversation is about the conversation's procedure, whatever another record
// sharing its words scores: it is answered, first among the candidates.
func (o *Observation) decide(m *Model) {
	if o.NoTopic {
		for i, c := range o.Candidates {
			if c.Current {
				copy(o.Candidates[1:i+1], o.Candidates[:i])
				o.Candidates[0] = c
				o.Decision = Answer
				return
			}
		}
	}
	ps := make([]float64, len(o.Candidates))
	for i, c := range o.Candidates {
		ps[i] = c.P
	}
	dec, n := m.choose(ps)
	o.Decision = dec
	if dec == Clarify {
		o.Offered = o.Candidates[:n]
		o.Facet = FacetOf(o.Offered)
	}
}

// choose applies the thresholds to the candidates' probabilities, best first: the decision
// and how many of the best candidates it answers or offers.
func (m *Model) choose(ps []float64) (string, int) {
	if len(ps) == 0 {
		return None, 0
	}
	if ps[0] >= m.Answer {
		return Answer, 1
	}
	n, sum := 0, 0.0
	for _, p := range ps {
		if p < m.Offer || n == MaxOffered {
			break
		}
		n++
		sum += p
	}
	if n >= 2 && sum >= m.Clarify {
		return Clarify, n
	}
	if m.Confirm > 0 && ps[0] >= m.Confirm {
		return Clarify, 1
	}
	return None, 0
}

func dot(w []float64, f Features) float64 {
	s := 0.0
	for i, x := range f {
		s += w[i] * x
	}
	return s
}

func softmax(us []float64) []float64 {
	mx := math.Inf(-1)
	for _, u := range us {
		mx = max(mx, u)
	}
	out := make([]float64, len(us))
	z := 0.0
	for i, u := range us {
		out[i] = math.Exp(u - mx)
		z += out[i]
	}
	for i := range out {
		out[i] /= z
	}
	return out
}

// Example is one message of a training set: its observation and which candidate was meant
// (-1: none of them).
type Example struct {
	Candidates []Features
	None       Features
	Label      int
	// Weight weighs the example in the fit (0 counts as 1).
	Weight float64
}

// marginIndexes returns the indexes in CandidateFeatures of the named features.
func marginIndexes(names []string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		if idx[i] = slices.Index(CandidateFeatures, n); idx[i] < 0 {
			return nil, fmt.Errorf("no candidate feature %q", n)
		}
	}
	return idx, nil
}

// withMargins returns the candidates' features followed by their margins over the best other
// candidate for the features at idx (over nothing, for a lone candidate: the value itself).
func withMargins(cands []Features, idx []int) []Features {
	if len(idx) == 0 {
		return cands
	}
	// For each feature, the best value and the second best: a candidate's best other is the
	// best, unless it is the best itself.
	best, second := make([]float64, len(idx)), make([]float64, len(idx))
	bestAt := make([]int, len(idx))
	for m, k := range idx {
		best[m], second[m], bestAt[m] = math.Inf(-1), math.Inf(-1), -1
		for j, h := range cands {
			switch {
			case h[k] > best[m]:
				best[m], second[m], bestAt[m] = h[k], best[m], j
			case h[k] > second[m]:
				second[m] = h[k]
			}
		}
	}
	out := make([]Features, len(cands))
	for i, f := range cands {
		g := make(Features, len(f), len(f)+len(idx))
		copy(g, f)
		for m, k := range idx {
			other := best[m]
			if bestAt[m] == i {
				other = second[m]
			}
			if math.IsInf(other, -1) {
				other = 0
			}
			g = append(g, f[k]-other)
		}
		out[i] = g
	}
	return out
}

// FitOptions are the choices of a fit.
type FitOptions struct {
	// Margins name the features whose margins over the best other candidate the model weighs
	// as well.
	Margins []string
	L2      float64 // L2 penalty
	Steps   int     // gradient steps
	// Hidden is the number of hidden units (0: a linear model); Seed seeds their initial
	// weights.
	Hidden int
	Seed   uint64
}

// Fit estimates W and V (and the hidden layer's weights) by maximum likelihood with an L2
// penalty, by full-batch gradient descent (Adam, fixed steps: the same examples give the
// same model).
func Fit(examples []Example, opt FitOptions) (*Model, error) {
	margins, l2, steps := opt.Margins, opt.L2, opt.Steps
	idx, err := marginIndexes(margins)
	if err != nil {
		return nil, fmt.Errorf("fit resolver model: %w", err)
	}
	if len(idx) > 0 {
		expanded := make([]Example, len(examples))
		for i, ex := range examples {
			ex.Candidates = withMargins(ex.Candidates, idx)
			expanded[i] = ex
		}
		examples = expanded
	}
	nc, nn := len(CandidateFeatures)+len(idx), len(NoneFeatures)
	hp := hiddenParams{units: opt.Hidden, inputs: nc}
	theta := make([]float64, nc+nn+hp.size())
	var hidden *Hidden
	if opt.Hidden > 0 {
		hp.init(theta[nc+nn:], opt.Seed)
		hidden = hp.layer(theta[nc+nn:])
	}
	m1, m2 := make([]float64, len(theta)), make([]float64, len(theta))
	const lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
	var units [][]float64
	for step := 1; step <= steps; step++ {
		grad := make([]float64, len(theta))
		total := 0.0
		w, v := theta[:nc], theta[nc:nc+nn]
		for _, ex := range examples {
			us := make([]float64, len(ex.Candidates)+1)
			us[0] = dot(v, ex.None)
			for len(units) < len(ex.Candidates) {
				units = append(units, make([]float64, opt.Hidden))
			}
			for i, f := range ex.Candidates {
				us[i+1] = dot(w, f)
				if hidden != nil {
					us[i+1] += hidden.utility(f, units[i])
				}
			}
			ps := softmax(us)
			wt := ex.Weight
			if wt == 0 {
				wt = 1
			}
			total += wt
			// d(-log p_label)/du_j = p_j - [j = label]
			for j, p := range ps {
				g := p
				if j == ex.Label+1 {
					g -= 1
				}
				g *= wt
				if j == 0 {
					for k, x := range ex.None {
						grad[nc+k] += g * x
					}
					continue
				}
				for k, x := range ex.Candidates[j-1] {
					grad[k] += g * x
				}
				if hidden != nil {
					hp.backprop(hidden, ex.Candidates[j-1], units[j-1], g, grad[nc+nn:])
				}
			}
		}
		n := max(total, 1)
		for k := range grad {
			grad[k] = grad[k]/n + l2*theta[k]
			m1[k] = b1*m1[k] + (1-b1)*grad[k]
			m2[k] = b2*m2[k] + (1-b2)*grad[k]*grad[k]
			mh := m1[k] / (1 - math.Pow(b1, float64(step)))
			vh := m2[k] / (1 - math.Pow(b2, float64(step)))
			theta[k] -= lr * mh / (math.Sqrt(vh) + eps)
		}
	}
	if hidden != nil {
		hidden = hp.layer(slices.Clone(theta[nc+nn:]))
	}
	return &Model{Candidate: CandidateFeatures, Margins: margins, W: theta[:nc], NoneNames: NoneFeatures, V: theta[nc : nc+nn], Hidden: hidden, marginIdx: idx}, nil
}

// Probabilities scores an example with the model: none first, then each candidate.
func (m *Model) Probabilities(ex Example) []float64 {
	us := make([]float64, len(ex.Candidates)+1)
	us[0] = dot(m.V, ex.None)
	var units []float64
	if m.Hidden != nil {
		units = make([]float64, len(m.Hidden.In))
	}
	for i, f := range withMargins(ex.Candidates, m.marginIdx) {
		us[i+1] = dot(m.W, f)
		if m.Hidden != nil {
			us[i+1] += m.Hidden.utility(f, units)
		}
	}
	return softmax(us)
}
