package retrieval

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// stopwords are question words that carry no topic. They are left out of full-text unigrams
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

// tsQueries builds the accented and folded tsquery expressions (for to_tsquery('simple', …))
// from the query words and the lexicon's official terms. Every lexeme is quoted; words contain
// only letters, digits and . , / - (vntext.Tokens), so no operator can be injected, and the
// expressions are passed as query arguments anyway.
func tsQueries(words []string, expansions []Expansion) (accented, folded string) {
	var acc, fol []string
	seenA, seenF := map[string]bool{}, map[string]bool{}
	add := func(a string) {
		if a != "" && !seenA[a] {
			seenA[a] = true
			acc = append(acc, a)
		}
		if f := vntext.Fold(a); f != "" && !seenF[f] {
			seenF[f] = true
			fol = append(fol, f)
		}
	}
	terms := func(ws []string, phrasesOnly bool) {
		for i, w := range ws {
			if !phrasesOnly && !isStop(w) {
				add(quote(w))
			}
			if i > 0 && !(isStop(ws[i-1]) && isStop(w)) {
				add(quote(ws[i-1]) + " <-> " + quote(w))
			}
		}
	}
	terms(words, false)
	for _, e := range expansions {
		for _, t := range e.Terms {
			tw := vntext.Tokens(t)
			terms(tw, false)
			if len(tw) > 2 {
				// The whole official term as one phrase: the strongest signal of all.
				add(strings.Join(quoteAll(tw), " <-> "))
			}
		}
	}
	return strings.Join(acc, " | "), strings.Join(fol, " | ")
}

func quote(w string) string { return "'" + strings.ReplaceAll(w, "'", "") + "'" }

func quoteAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = quote(w)
	}
	return out
}
