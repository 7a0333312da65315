package embedding

import (
	"hash/fnv"

	"github.com/thutuc/thutuc/vntext"
)

// Features returns the hashed features of a text that the trained embedder reads, in order:
// for each word its folded form (no diacritics, đ→d), its accented form where that differs,
// the folded and (where different) accented pair with the next word, and the character
// trigrams of the folded word with its boundaries ("^ho", "ho$"), which survive typos. The
// accented forms keep apart what folding merges (hộ, họ, hồ); the folded ones match text typed
// without diacritics.
func Features(text string) []uint32 {
	acc := vntext.Words(text)
	fold := make([]string, len(acc))
	for i, w := range acc {
		fold[i] = vntext.Fold(w)
	}
	out := make([]uint32, 0, len(acc)*7)
	for i, w := range acc {
		f := fold[i]
		out = append(out, featureHash('f', f, ""))
		if f != w {
			out = append(out, featureHash('a', w, ""))
		}
		if i+1 < len(acc) {
			out = append(out, featureHash('g', f, fold[i+1]))
			if f != w || fold[i+1] != acc[i+1] {
				out = append(out, featureHash('b', w, acc[i+1]))
			}
		}
		if len(f) >= 2 {
			tri := "^" + f + "$"
			for j := 0; j+3 <= len(tri); j++ {
				out = append(out, featureHash('t', tri[j:j+3], ""))
			}
		}
	}
	return out
}

// featureHash is FNV-1a (32 bits) of a feature kind and its text.
func featureHash(kind byte, a, b string) uint32 {
	h := fnv.New32a()
	h.Write([]byte{kind})
	h.Write([]byte(a))
	if b != "" {
		h.Write([]byte{' '})
		h.Write([]byte(b))
	}
	return h.Sum32()
}
