package resolve

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// Matching works on folded words (no diacritics, đ→d): citizens often type
// without accents ("lam ho chieu het bao nhieu tien"), and phrases of two or more words are
// specific enough that the words merged by folding (hộ, họ, hồ) rarely collide.

// FoldedWords returns the normalised words of s with diacritics removed.
func FoldedWords(s string) []string {
	ws := vntext.Words(s)
	for i, w := range ws {
		ws[i] = vntext.Fold(w)
	}
	return ws
}

// Phrase is a folded word sequence.
type Phrase []string

// Phrases compiles Vietnamese phrases (written with diacritics for readability) into folded
// word sequences.
func Phrases(list ...string) []Phrase {
	out := make([]Phrase, 0, len(list))
	for _, s := range list {
		if p := FoldedWords(s); len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// Index returns the first position of p in words, or -1.
func (p Phrase) Index(words []string) int {
	for i := 0; i+len(p) <= len(words); i++ {
		ok := true
		for j, w := range p {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// FirstMatch returns the earliest position at which any of ps occurs in words, or -1.
func FirstMatch(words []string, ps []Phrase) int {
	best := -1
	for _, p := range ps {
		if i := p.Index(words); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// ContainsAny reports whether any of ps occurs in words.
func ContainsAny(words []string, ps []Phrase) bool { return FirstMatch(words, ps) >= 0 }

// GenericWords are words that name no procedure on their own ("đăng ký", "cấp", "làm",
// "giấy"): a shared run made only of them says nothing about which procedure is meant.
var GenericWords = WordSet(`dang ky ki cap lam xin giay to the lan dau cho con online truc tuyen thu tuc nop lai doi
	moi o tai cua va khi de ve tren qua nguoi cong dan so ban le phi tien mien muc thu dong bao lau ngay`)

// stopList are question words that carry no topic, with their accents: "thế" (so) is one,
// "thẻ" (card) is not. Typed without accents, a word is a stop word when it folds to one.
const stopList = `tôi em anh chị mình cho của thì là và với có không được bị gì nào đâu sao thế vậy nhé ạ ơi ko k hả à
	muốn cần phải làm bao nhiêu lâu hết những các một này đó kia ở tại để khi nếu thể hỏi xin giúp cách như đi về ra vào rồi
	sẽ đã đang nhà bạn ai mấy thủ tục hay hoặc nhưng mà cũng còn nữa bây giờ ngày nay thôi chứ đấy nhỉ cái chiếc người dân
	xem biết gồm hok hông lấy tiền phí lệ ạh vậy nhé đc dc`

var (
	stopAccented = WordSet(stopList)
	stopWords    = FoldedSet(stopList) // folded
)

// IsFoldedStop reports whether a folded word is a stop word.
func IsFoldedStop(w string) bool { return stopWords[w] }

// IsStop reports whether a normalised word is a stop word, with accents when typed with them.
func IsStop(w string) bool {
	if vntext.HasDiacritics(w) {
		return stopAccented[w]
	}
	return stopWords[w]
}

func FoldedSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[vntext.Fold(w)] = true
	}
	return m
}

// edgeWords are function words that do not belong at either end of a shared run of words:
// "khẩu cho" shared with "nhập hộ khẩu cho con" names nothing.
var edgeWords = WordSet(`cho cua va voi o tai de thi la co khong duoc bi nhung cac mot nay do khi ve tren trong sau truoc ma`)

func WordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// runMatch finds the runs of words query shares with name that count: runs of two or more
// words with at least one non-generic word, or the whole name when it is a single
// non-generic word. It returns how many words of name they cover and the query positions of
// their non-generic words.
func runMatch(query, name []string) (int, []bool) {
	covered := make([]bool, len(name))
	qpos := make([]bool, len(query))
	for i := range name {
		for j := range query {
			k := 0
			for i+k < len(name) && j+k < len(query) && name[i+k] == query[j+k] {
				k++
			}
			lo, hi := i, i+k
			for lo < hi && edgeWords[name[lo]] {
				lo++
			}
			for hi > lo && edgeWords[name[hi-1]] {
				hi--
			}
			if hi-lo == 0 || (hi-lo == 1 && len(name) > 1) || allGeneric(name[lo:hi]) {
				continue
			}
			for x := lo; x < hi; x++ {
				covered[x] = true
				// Only the words that name something mark the question: "thủ tục" shared
				// with a longer title does not make it explain more of the question.
				qpos[j+x-i] = qpos[j+x-i] || !GenericWords[name[x]]
			}
		}
	}
	n := 0
	for _, c := range covered {
		if c {
			n++
		}
	}
	return n, qpos
}

func allGeneric(ws []string) bool {
	for _, w := range ws {
		if !GenericWords[w] {
			return false
		}
	}
	return true
}

// ContentWords returns the folded words of s that carry a topic: not stop words, not generic.
func ContentWords(words []string) []string {
	var out []string
	for _, w := range words {
		if !stopWords[w] && !GenericWords[w] && !IsNumber(w) {
			out = append(out, w)
		}
	}
	return out
}

func IsNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}
