package retrieval

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// stopwords are question words that carry no topic. They are left out of lexical unigrams
// but kept in bigrams, so that "can cuoc" (căn cước) still matches as a phrase even though
// "can" alone may be the stopword cần.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`tôi em anh chị mình cho của thì là và với có không được bị gì nào đâu sao thế vậy nhé ạ ơi ko k hả à
		muốn cần phải làm bao nhiêu lâu hết những các một này đó kia ở tại để khi nếu thể hỏi xin giúp cách như đi về ra vào rồi
		sẽ đã đang nhà bạn ai mấy thủ tục hay hoặc thì nhưng mà ạh hông hok cũng còn nữa bây giờ ngày nay thôi chứ đấy nhỉ
		cái chiếc người dân công muốn xem biết`) {
		m[w] = true
	}
	return m
}()

// isStop reports whether a normalised word is a stopword. An unaccented word typed by a user is
// a stopword only if it is the unaccented form of a stopword *and* no accent was typed: "can" may
// be cần (stop) or căn (not), which bigrams resolve.
func isStop(w string) bool {
	if stopwords[w] {
		return true
	}
	return foldedStop[w]
}

var foldedStop = func() map[string]bool {
	m := map[string]bool{}
	for w := range stopwords {
		f := vntext.Fold(w)
		if f == w {
			continue
		}
		m[f] = true
	}
	// Folded forms that are also common topic words stay searchable.
	for _, keep := range []string{"can", "dau", "the", "co", "lam", "ho", "mat", "het", "nha"} {
		delete(m, keep)
	}
	return m
}()

// Weights of query terms. A word typed with its diacritics matches that word fully and the
// words that fold like it (hộ → họ, hồ) a little; a word typed without them matches every
// word that folds to it. The lexicon's official terms count less than the words the user typed:
// they widen the question, and counted fully they drowned it (catalog text-only hit@1 0.626
// at 1.0, 0.662 at 0.4).
const (
	weightTyped     = 1.0
	weightFoldedToo = 0.3
	weightExpansion = 0.4
)

// lexicalTerms returns the weighted terms of a question for the lexical index: its words
// (not stopwords) and adjacent pairs (not both stopwords), then those of the lexicon's
// official terms.
func lexicalTerms(words []string, expansions []Expansion) []lexTerm {
	var terms []lexTerm
	add := func(ws []string, weight float64) {
		for i, w := range ws {
			if !isStop(w) {
				terms = appendTerm(terms, termAccented, termFolded, w, "", weight)
			}
			if i > 0 && !(isStop(ws[i-1]) && isStop(w)) {
				terms = appendTerm(terms, termPairAccented, termPairFolded, ws[i-1], w, weight)
			}
		}
	}
	add(words, weightTyped)
	for _, e := range expansions {
		for _, t := range e.Terms {
			add(vntext.Tokens(t), weightExpansion)
		}
	}
	return terms
}

// appendTerm adds the accented and folded terms of a word or pair.
func appendTerm(terms []lexTerm, accented, folded byte, a, b string, weight float64) []lexTerm {
	fa, fb := vntext.Fold(a), vntext.Fold(b)
	if fa == a && fb == b {
		return append(terms, lexTerm{kind: folded, a: fa, b: fb, weight: weight})
	}
	return append(terms, lexTerm{kind: accented, a: a, b: b, weight: weight},
		lexTerm{kind: folded, a: fa, b: fb, weight: weight * weightFoldedToo})
}
