package embedding

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Example is one training pair: a text (a citizen's question, an everyday name, a title, a
// passage of the record) and the code of the procedure it is about.
type Example struct {
	Text  string
	Label string
	// Accept are other codes that are right too (the same procedure at another level); they are
	// never used as negatives for this example.
	Accept []string
	// Hard are codes to prefer as negatives: siblings of the label (same family, another action
	// or case), which the model must learn to keep apart.
	Hard []string
}

// TrainOptions set the training. Zero values take the defaults.
type TrainOptions struct {
	Dim       int     // vector size (default 64)
	Epochs    int     // passes over the examples (default 15)
	LR        float64 // initial learning rate, decaying linearly to 0 (default 0.05)
	Negatives int     // random negatives per example (default 96)
	Hard      int     // hard negatives per example, from Example.Hard (default 6; negative: none)
	Scale     float64 // softmax scale on cosine similarities (default 5)
	MinCount  int     // features seen fewer times are dropped (default 3)
	Seed      uint64  // random seed: the same data and seed give the same model (default 1)
	// Progress, when set, is called after each epoch with the mean loss.
	Progress func(epoch int, loss float64)
}

func (o *TrainOptions) defaults() {
	if o.Dim <= 0 {
		o.Dim = 64
	}
	if o.Epochs <= 0 {
		o.Epochs = 15
	}
	if o.LR <= 0 {
		o.LR = 0.05
	}
	if o.Negatives <= 0 {
		o.Negatives = 96
	}
	switch {
	case o.Hard < 0:
		o.Hard = 0
	case o.Hard == 0:
		o.Hard = 6
	}
	if o.Scale <= 0 {
		o.Scale = 5
	}
	if o.MinCount <= 0 {
		o.MinCount = 3
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// prepared is an example with its features as rows and its codes as label indexes.
type prepared struct {
	rows   []int32
	label  int32
	accept []int32
	hard   []int32
}

// Train learns a Trained model from examples with a softmax over sampled labels (the
// StarSpace / fastText-supervised family): the normalised mean of a text's feature vectors is
// pulled towards its label's unit vector and pushed from sampled other labels, hard ones first,
// on cosine similarity times Scale. It runs on one goroutine so that the same examples and seed
// give the same model, byte for byte.
func Train(examples []Example, opts TrainOptions, info ModelInfo) (*Trained, error) {
	opts.defaults()
	if len(examples) == 0 {
		return nil, errors.New("train embedder: no examples")
	}
	dim := opts.Dim

	// Labels and the feature vocabulary, in sorted order so that the model does not depend on
	// map iteration.
	labelSet := map[string]bool{}
	counts := map[uint32]int{}
	feats := make([][]uint32, len(examples))
	for i, ex := range examples {
		if ex.Label == "" {
			return nil, fmt.Errorf("train embedder: example %d has no label", i)
		}
		labelSet[ex.Label] = true
		feats[i] = Features(ex.Text)
		for _, f := range feats[i] {
			counts[f]++
		}
	}
	codes := make([]string, 0, len(labelSet))
	for c := range labelSet {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	if len(codes) < 2 {
		return nil, errors.New("train embedder: at least two labels are needed")
	}
	labelOf := make(map[string]int32, len(codes))
	for i, c := range codes {
		labelOf[c] = int32(i)
	}
	var keys []uint32
	for f, n := range counts {
		if n >= opts.MinCount {
			keys = append(keys, f)
		}
	}
	slices.Sort(keys)
	rowOf := make(map[uint32]int32, len(keys))
	for i, k := range keys {
		rowOf[k] = int32(i)
	}

	data := make([]prepared, 0, len(examples))
	for i, ex := range examples {
		p := prepared{label: labelOf[ex.Label]}
		for _, f := range feats[i] {
			if r, ok := rowOf[f]; ok {
				p.rows = append(p.rows, r)
			}
		}
		if len(p.rows) == 0 {
			continue
		}
		for _, c := range ex.Accept {
			if l, ok := labelOf[c]; ok && l != p.label {
				p.accept = append(p.accept, l)
			}
		}
		for _, c := range ex.Hard {
			if l, ok := labelOf[c]; ok && l != p.label && !slices.Contains(p.accept, l) {
				p.hard = append(p.hard, l)
			}
		}
		data = append(data, p)
	}

	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	rows := make([]float32, len(keys)*dim)
	for i := range rows {
		rows[i] = (rng.Float32()*2 - 1) / float32(dim)
	}
	lvecs := make([]float32, len(codes)*dim)
	for i := range codes {
		v := lvecs[i*dim : (i+1)*dim]
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		normalize(v)
	}

	scale := float32(opts.Scale)
	u := make([]float32, dim)
	gq := make([]float32, dim)
	cands := make([]int32, 0, 1+opts.Hard+opts.Negatives)
	scores := make([]float32, 0, cap(cands))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	total := float64(opts.Epochs * len(data))
	step := 0
	for epoch := 1; epoch <= opts.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss float64
		for _, idx := range order {
			p := &data[idx]
			lr := float32(opts.LR * max(1-float64(step)/total, 1e-4))
			step++

			// Forward: q = normalised mean of the feature rows.
			clear(u)
			for _, r := range p.rows {
				row := rows[int(r)*dim : int(r+1)*dim]
				for j, x := range row {
					u[j] += x
				}
			}
			inv := 1 / float32(len(p.rows))
			var norm float64
			for j := range u {
				u[j] *= inv
				norm += float64(u[j]) * float64(u[j])
			}
			if norm == 0 {
				continue
			}
			un := float32(math.Sqrt(norm))
			for j := range u {
				u[j] /= un // u is now q
			}

			// Candidates: the label, hard negatives, random negatives.
			cands = append(cands[:0], p.label)
			if len(p.hard) > 0 {
				for k := 0; k < opts.Hard; k++ {
					c := p.hard[rng.IntN(len(p.hard))]
					if !slices.Contains(cands, c) {
						cands = append(cands, c)
					}
				}
			}
			for k := 0; k < opts.Negatives; k++ {
				c := int32(rng.IntN(len(codes)))
				if c == p.label || slices.Contains(p.accept, c) || slices.Contains(cands, c) {
					continue
				}
				cands = append(cands, c)
			}

			// Softmax over scale·cos(q, label).
			scores = scores[:0]
			mx := float32(math.Inf(-1))
			for _, c := range cands {
				v := lvecs[int(c)*dim : int(c+1)*dim]
				var s float32
				for j, x := range v {
					s += x * u[j]
				}
				s *= scale
				scores = append(scores, s)
				mx = max(mx, s)
			}
			var z float64
			for i := range scores {
				e := math.Exp(float64(scores[i] - mx))
				scores[i] = float32(e)
				z += e
			}
			loss -= math.Log(float64(scores[0])/z + 1e-12)

			// Backward. g_c = p_c - [c is the label].
			clear(gq)
			for i, c := range cands {
				g := float32(float64(scores[i]) / z)
				if i == 0 {
					g -= 1
				}
				if g > -1e-6 && g < 1e-6 {
					continue
				}
				g *= scale
				v := lvecs[int(c)*dim : int(c+1)*dim]
				for j := range v {
					gq[j] += g * v[j]
					v[j] -= lr * g * u[j]
				}
				normalize(v)
			}
			// Through the normalisation: d q / d u = (I - q qᵀ) / |u|, then the mean.
			var dot float32
			for j := range gq {
				dot += gq[j] * u[j]
			}
			f := lr * inv / un
			for j := range gq {
				gq[j] = (gq[j] - dot*u[j]) * f
			}
			for _, r := range p.rows {
				row := rows[int(r)*dim : int(r+1)*dim]
				for j := range row {
					row[j] -= gq[j]
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(epoch, loss/float64(len(data)))
		}
	}

	m := &Trained{dim: dim, scale: scale, keys: keys, rows: rows, codes: codes, lvecs: lvecs, Info: info}
	// Round trip through the file format, so that the model used is the model written (8-bit
	// rows) and carries its digest as its name.
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, err
	}
	return LoadTrained(buf.Bytes())
}

// Rank returns the model's labels ordered by cosine similarity to text, best first, at most k.
func (m *Trained) Rank(text string, k int) []string {
	q := m.Vector(text)
	type scored struct {
		i int
		s float32
	}
	all := make([]scored, len(m.codes))
	for i := range m.codes {
		v := m.lvecs[i*m.dim : (i+1)*m.dim]
		var s float32
		for j, x := range v {
			s += x * q[j]
		}
		all[i] = scored{i, s}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].s != all[b].s {
			return all[a].s > all[b].s
		}
		return all[a].i < all[b].i
	})
	if k > len(all) {
		k = len(all)
	}
	out := make([]string, k)
	for i := range out {
		out[i] = m.codes[all[i].i]
	}
	return out
}
