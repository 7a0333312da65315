package resolve

import (
	"regexp"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// NameQuery is a question prepared for matching against document names.
type NameQuery struct {
	words []string
	terms []nameTerm // official terms the lexicon found for everyday words
}

type nameTerm struct {
	words []string
	span  []bool // where the everyday words are in the question
}

// channelWords are everyday words that name a way of applying more often than a procedure:
// "làm hộ khẩu trên VNeID" is about residence, not the VNeID account. Their lexicon terms do
// not name documents.
var channelWords = WordSet(`vneid online vssid dvctt`)

// channelPhrases are the several-word ones, folded.
var channelPhrases = map[string]bool{"dich vu cong": true, "nop online": true, "lam online": true, "qua mang": true,
	"tren mang": true, "truc tuyen": true, "cong dich vu cong": true}

func NewNameQuery(text string, exps []retrieval.Expansion) NameQuery {
	q := NameQuery{words: FoldedWords(text)}
	for _, e := range exps {
		every := FoldedWords(e.Everyday)
		if key := strings.Join(every, " "); channelWords[key] || channelPhrases[key] {
			continue
		}
		span := make([]bool, len(q.words))
		if i := Phrase(every).Index(q.words); i >= 0 {
			for x := i; x < i+len(every); x++ {
				span[x] = true
			}
		}
		for _, t := range e.Terms {
			q.terms = append(q.terms, nameTerm{words: FoldedWords(t), span: span})
		}
	}
	return q
}

// Named is the best share of one of the document's names (title or alias) covered by runs of
// words the question, or an official term the lexicon added, shares with it; and the
// positions of the question all its names explain.
func (q NameQuery) Named(d postgres.DocumentName) (float64, []bool) {
	best := 0.0
	span := make([]bool, len(q.words))
	for _, n := range append([]string{d.Title}, d.Aliases...) {
		nw := FoldedWords(n)
		if len(nw) == 0 {
			continue
		}
		cov, pos := runMatch(q.words, nw)
		orInto(span, pos)
		best = max(best, float64(cov)/float64(len(nw)))
		for _, t := range q.terms {
			if c, _ := runMatch(t.words, nw); c > 0 {
				orInto(span, t.span)
				// An official term longer than the name is more specific than it: "xóa đăng
				// ký thường trú" does not fully name "Đăng ký thường trú".
				best = max(best, float64(c)/float64(max(len(nw), len(t.words))))
			}
		}
	}
	return best, span
}

func orInto(dst, src []bool) {
	for i := range dst {
		dst[i] = dst[i] || src[i]
	}
}

// Coverage measures how much of the question's topic the candidate's names and matched
// sections contain: the share of topic words found, and how many pairs of adjacent topic
// words are found side by side. Words typed with accents must match with accents: "mèo" is
// not "mẹo". Single syllables match almost any text, pairs rarely do by chance: "tổng thống"
// or "bỏ ăn" appear in no procedure sheet, "hộ chiếu" and "thường trú" do.
func Coverage(query []string, name postgres.DocumentName, res thutuc.SearchResult) (cover float64, pairs int, pairShare float64) {
	// The texts are scanned for the query's topic words and pairs only: indexing every word
	// of every section was about half of a chat's CPU time over the catalog.
	words := map[string]bool{}
	pairFirst := map[string]bool{}
	pairSeen := map[string]bool{}
	for i, w := range query {
		if !IsTopic(w) {
			continue
		}
		words[w] = false
		if i+1 < len(query) && IsTopic(query[i+1]) {
			pairFirst[w] = true
			pairSeen[w+" "+query[i+1]] = false
		}
	}
	if len(words) == 0 {
		return 0, 0, 0
	}
	scan := func(text string) {
		ws := vntext.Words(text)
		for i, w := range ws {
			f := vntext.Fold(w)
			for _, x := range [2]string{w, f} {
				if _, ok := words[x]; ok {
					words[x] = true
				}
			}
			if i+1 >= len(ws) || !pairFirst[w] && !pairFirst[f] {
				continue
			}
			n := ws[i+1]
			fn := vntext.Fold(n)
			for _, a := range [2]string{w, f} {
				for _, b := range [2]string{n, fn} {
					if _, ok := pairSeen[a+" "+b]; ok {
						pairSeen[a+" "+b] = true
					}
				}
			}
		}
	}
	scan(name.Title)
	for _, a := range name.Aliases {
		scan(a)
	}
	for _, sec := range res.Sections {
		scan(sec.Text)
	}
	found, topic, possible := 0, 0, 0
	for i, w := range query {
		if !IsTopic(w) {
			continue
		}
		topic++
		if words[w] {
			found++
		}
		if i+1 < len(query) && IsTopic(query[i+1]) {
			possible++
			if pairSeen[w+" "+query[i+1]] {
				pairs++
			}
		}
	}
	share := 0.0
	if possible > 0 {
		share = float64(pairs) / float64(possible)
	}
	return float64(found) / float64(topic), pairs, share
}

func IsTopic(w string) bool {
	return !IsStop(w) && !IsNumber(vntext.Fold(w))
}

// AccentPhrase is a phrase matched with accents when the user typed them: "giả" (fake) must
// not match "giá" (price), but "gia" typed without accents may mean either.
type AccentPhrase struct {
	words   []string // normalised, accented
	folded  []string
	notNext map[string]bool // folded words that, right after the phrase, cancel the match
}

func AccentPhrases(list ...string) []AccentPhrase {
	out := make([]AccentPhrase, 0, len(list))
	for _, s := range list {
		main, next, _ := strings.Cut(s, "|")
		p := AccentPhrase{words: vntext.Words(main)}
		for _, w := range p.words {
			p.folded = append(p.folded, vntext.Fold(w))
		}
		if next != "" {
			p.notNext = WordSet(next)
		}
		out = append(out, p)
	}
	return out
}

// Len is the number of words of p.
func (p AccentPhrase) Len() int { return len(p.words) }

// Matches reports whether p occurs in the message words (normalised, accented).
func (p AccentPhrase) Matches(words []string) bool {
	for i := 0; i+len(p.words) <= len(words); i++ {
		if p.MatchAt(words, i) {
			return true
		}
	}
	return false
}

// MatchAt reports whether p occurs at position i of words: a word typed with accents must
// equal the phrase's word, one typed without must equal it folded.
func (p AccentPhrase) MatchAt(words []string, i int) bool {
	if i+len(p.words) > len(words) {
		return false
	}
	for j := range p.words {
		m := words[i+j]
		fm := vntext.Fold(m)
		if m != p.words[j] && !(fm == m && fm == p.folded[j]) {
			return false
		}
	}
	end := i + len(p.words)
	return end >= len(words) || !p.notNext[vntext.Fold(words[end])]
}

func AnyAccent(words []string, ps []AccentPhrase) bool {
	for _, p := range ps {
		if p.Matches(words) {
			return true
		}
	}
	return false
}

var (
	// offTopicPhrases name subjects outside administrative procedures.
	offTopicPhrases = AccentPhrases("thời tiết", "bóng đá", "đá với", "đá bóng", "trận đấu", "nấu", "công thức nấu",
		"món ăn", "cổ phiếu", "chứng khoán", "uống thuốc", "thuốc gì", "đau đầu", "sốt cao", "bị bệnh", "visa",
		"thị thực", "giá vàng", "tỷ giá", "bài thơ", "làm thơ", "laptop", "xổ số", "giảm cân", "giảm béo",
		"dịch sang tiếng", "dịch giúp", "liên quân", "game", "lịch chiếu", "phim", "chuyện cười", "kể chuyện", "bitcoin",
		"crypto", "recommend", "rank", "người yêu", "bạn gái", "bạn trai", "lãi nhanh", "đầu tư", "công thức", "ca sĩ",
		"bài hát", "du lịch", "khách sạn nào", "nhà hàng", "ăn gì", "mặc gì", "viết giúp", "code", "lập trình")
	weightLoss = regexp.MustCompile(`\b\d+\s?kg\b`)
)

// OffTopic reports whether a message names a subject outside administrative procedures.
func OffTopic(text string) bool { return OffTopicsOf(text).Any() }

// OffTopics is what makes a message off topic: the off-topic phrases it contains, and
// whether it asks about losing weight.
type OffTopics struct {
	phrases []AccentPhrase
	weight  bool
}

func OffTopicsOf(text string) OffTopics {
	var o OffTopics
	words := vntext.Words(text)
	for _, p := range offTopicPhrases {
		if p.Matches(words) {
			o.phrases = append(o.phrases, p)
		}
	}
	o.weight = weightLoss.MatchString(strings.ToLower(text))
	return o
}

func (o OffTopics) Any() bool { return o.weight || len(o.phrases) > 0 }

// About reports whether the message is off topic for a document with the given names. Most
// off-topic phrases also name a few procedures of the national catalog ("thị thực", "đầu
// tư", "cổ phiếu", "du lịch" all appear in official titles): a phrase the document's own name
// contains is the subject of that document, not another subject. "làm hộ chiếu để đi du
// lịch" stays off topic for the passport, whose names do not speak of travel.
func (o OffTopics) About(names []string) bool {
	if o.weight {
		return true
	}
	for _, p := range o.phrases {
		named := false
		for _, n := range names {
			if p.Matches(vntext.Words(n)) {
				named = true
				break
			}
		}
		if !named {
			return true
		}
	}
	return false
}

// fullyNamed is the name score of a message that contains a whole name of the document.
const fullyNamed = 0.99
