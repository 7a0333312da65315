package embedding

import (
	"context"
	"hash/fnv"
	"math"

	"github.com/thutuc/thutuc/vntext"
)

// Hashing is the built-in embedder: pure Go, deterministic, no model. It hashes features of
// the normalised text into a fixed-size vector (the hashing trick) and L2-normalises it.
// Features: accented and folded syllables, accented and folded syllable bigrams (Vietnamese
// words are mostly two syllables: "hộ chiếu"), and character trigrams of the folded words,
// which survive typos and missing diacritics.
type Hashing struct{ dim int }

// NewHashing returns a Hashing embedder with dim dimensions (512 when dim <= 0).
func NewHashing(dim int) *Hashing {
	if dim <= 0 {
		dim = 512
	}
	return &Hashing{dim: dim}
}

// Name implements Embedder. The dimension is part of the name: vectors of different sizes
// never mix.
func (h *Hashing) Name() string { return "builtin-hash-v1" }

// EmbedDocuments implements Embedder.
func (h *Hashing) EmbedDocuments(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = h.Vector(t)
	}
	return out, nil
}

// EmbedQuery implements Embedder.
func (h *Hashing) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return h.Vector(text), nil
}

// Feature weights. Folded features carry the meaning shared by accented and unaccented
// spellings; accented features (only for words that have diacritics) separate hộ from họ.
const (
	wFolded   = 1.0
	wAccented = 0.8
	wFoldBi   = 1.0
	wBigram   = 0.8
	wTrigram  = 0.3
)

// Vector embeds one text.
func (h *Hashing) Vector(text string) []float32 {
	acc := vntext.Words(text)
	v := make([]float64, h.dim)
	counts := make(map[string]int, len(acc)*6)
	fold := make([]string, len(acc))
	for i, w := range acc {
		fold[i] = vntext.Fold(w)
		counts["f:"+fold[i]]++
		if fold[i] != w {
			counts["a:"+w]++
		}
		if i > 0 {
			counts["g:"+fold[i-1]+" "+fold[i]]++
			if fold[i-1] != acc[i-1] || fold[i] != w {
				counts["b:"+acc[i-1]+" "+w]++
			}
		}
		tri := "^" + fold[i] + "$"
		if len(tri) > 3 {
			for j := 0; j+3 <= len(tri); j++ {
				counts["t:"+tri[j:j+3]]++
			}
		}
	}
	for feat, c := range counts {
		hs := fnv.New64a()
		hs.Write([]byte(feat))
		sum := hs.Sum64()
		idx := int(sum % uint64(h.dim))
		sign := 1.0
		if sum>>63 == 1 {
			sign = -1
		}
		// Sublinear term frequency: a word repeated ten times is not ten times as relevant.
		v[idx] += sign * (1 + math.Log(float64(c))) * weightOf(feat)
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, h.dim)
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// weightOf returns the weight of a feature by its kind.
func weightOf(feat string) float64 {
	switch feat[:2] {
	case "a:":
		return wAccented
	case "f:":
		return wFolded
	case "b:":
		return wBigram
	case "g:":
		return wFoldBi
	}
	return wTrigram
}
