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

// commonChunks is the number of chunks above which a word is too common to select candidates
// on its own ("đăng ký", folded "ho" from hồ sơ): it stays only inside phrases with a rarer
// word. Without this a question over the whole catalog ranks thousands of chunks. The bound is
// a count, not a share: on a small corpus every topic word is in a large share of the chunks,
// and pruning them there cost hit@1 0.878 → 0.678 on the development set.
const commonChunks = 2000

// termShares gives the share of chunks containing a lexeme (0 when unknown, i.e. rare) and the
// number of chunks.
type termShares struct {
	accented, folded map[string]float64
	chunks           float64
}

func (ts termShares) common(words []string, folded bool) bool {
	m := ts.accented
	if folded {
		m = ts.folded
	}
	for _, w := range words {
		if m[w]*ts.chunks <= commonChunks {
			return false
		}
	}
	return true
}

// textQueries are the tsquery expressions of a question.
type textQueries struct {
	accented, folded string
}

// tsQueries builds the accented and folded tsquery expressions (for to_tsquery('simple', …))
// from the query words and the lexicon's official terms: words (not stopwords) and adjacent
// pairs as phrases, leaving out those made only of very common words. Every lexeme is quoted;
// words contain only letters, digits and . , / - (vntext.Tokens), so no operator can be
// injected, and the expressions are passed as query arguments anyway.
func tsQueries(words []string, expansions []Expansion, shares termShares) textQueries {
	var acc, fol, accAll, folAll []string
	seenA, seenF := map[string]bool{}, map[string]bool{}
	add := func(ws []string) {
		a := phrase(ws)
		fw := make([]string, len(ws))
		for i, w := range ws {
			fw[i] = vntext.Fold(w)
		}
		f := phrase(fw)
		if !seenA[a] {
			seenA[a] = true
			accAll = append(accAll, a)
			if !shares.common(ws, false) {
				acc = append(acc, a)
			}
		}
		if !seenF[f] {
			seenF[f] = true
			folAll = append(folAll, f)
			if !shares.common(fw, true) {
				fol = append(fol, f)
			}
		}
	}
	terms := func(ws []string) {
		for i, w := range ws {
			if !isStop(w) {
				add(ws[i : i+1])
			}
			if i > 0 && !(isStop(ws[i-1]) && isStop(w)) {
				add(ws[i-1 : i+1])
			}
		}
	}
	terms(words)
	for _, e := range expansions {
		for _, t := range e.Terms {
			tw := vntext.Tokens(t)
			terms(tw)
			if len(tw) > 2 {
				// The whole official term as one phrase: the strongest signal of all.
				add(tw)
			}
		}
	}
	if len(acc) == 0 && len(fol) == 0 {
		// Only common words: rank on them all rather than on nothing.
		acc, fol = accAll, folAll
	}
	return textQueries{accented: strings.Join(acc, " | "), folded: strings.Join(fol, " | ")}
}

// phrase quotes words and joins them with the followed-by operator.
func phrase(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "'" + strings.ReplaceAll(w, "'", "") + "'"
	}
	return strings.Join(q, " <-> ")
}
