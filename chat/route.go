package chat

import (
	"context"
	"fmt"
	"github.com/thutuc/thutuc/resolve"
	"sort"
	"strconv"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// Tuning holds the thresholds of procedure choice. The defaults were calibrated on
// corpus/eval/questions.jsonl with the built-in hashing embedder (see TestEvalQuestionSet);
// UnsureRatio and MinPairs were then set on corpus/eval/catalog_questions.jsonl over the
// national catalog (titles only, no aliases) without changing a status of the former (see
// TestCalibrateCatalog).
type Tuning struct {
	// NameWeight weighs how well a question names a document (its title or an everyday alias,
	// 0..1) against the search score normalised by the best one (0..1]. Reciprocal rank fusion
	// scores are close together; the names people use separate procedures far better.
	NameWeight float64
	// ClarifyRatio: when the second candidate scores at least this share of the first, the
	// question is ambiguous and the candidates that close are offered.
	ClarifyRatio float64
	// UnsureRatio replaces ClarifyRatio when the best candidate is not named (its name score
	// is below MinNamed) and is answerable only because its names and sections cover the
	// question: retrieval scores of documents with long, similar titles ("… cấp tỉnh", "… do
	// Chủ tịch UBND cấp tỉnh phân cấp cho cấp xã", "Cấp" or "Cấp lại" the same permit) are close,
	// and the question's own words do not tell which is meant, so the user is asked.
	UnsureRatio float64
	// MinNamed and MinCover bound what is in scope: a question that names no document at least
	// MinNamed and whose topic words are found in the best document less than MinCover is out
	// of scope.
	MinNamed float64
	MinCover float64
	// MinPairShare: … and at least this share of its pairs of adjacent topic words found side
	// by side ("công nghệ thông tin" alone does not make "chọn trường đại học ngành công nghệ
	// thông tin" a question about residence).
	MinPairShare float64
	// MinPairs: … or at least this many such pairs whatever their share (0 turns this off). A
	// question that tells its circumstances ("vợ chồng em đang ở trọ, muốn mua nhà ở xã
	// hội…") has many pairs of adjacent words, of which the procedure's name accounts for a
	// few: the share falls as the question grows although the procedure is named. Two pairs
	// found side by side, with MinCover of the topic words, remain strong evidence: no
	// out-of-scope question of the development set reaches them, one pair often does.
	MinPairs int
	// SwitchNamed: in a conversation, a message moves to another procedure when it names that
	// procedure at least this well; weaker messages are follow-ups about the current one.
	SwitchNamed float64
	// PairWeight weighs the pairs of adjacent question words found side by side in the
	// candidate (up to 3): direct evidence that it speaks of what is asked.
	PairWeight float64
	// Subsumed multiplies the name score of a candidate whose names explain a strict part of
	// what another candidate's names explain.
	Subsumed float64
	// SearchK is how many documents a search returns before re-ranking.
	SearchK int
}

// DefaultTuning returns the calibrated thresholds.
func DefaultTuning() Tuning {
	return Tuning{NameWeight: 0.5, ClarifyRatio: 0.97, UnsureRatio: 0.95, MinNamed: 0.5, MinCover: 0.5, MinPairShare: 0.3, MinPairs: 2, SwitchNamed: 0.5,
		Subsumed: 0.5, PairWeight: 0.2, SearchK: 8}
}

// withDefaults returns DefaultTuning for the zero Tuning; a caller changing thresholds starts
// from DefaultTuning and sets fields.
func (t Tuning) withDefaults() Tuning {
	if t == (Tuning{}) {
		return DefaultTuning()
	}
	if t.SearchK <= 0 {
		t.SearchK = DefaultTuning().SearchK
	}
	return t
}

// candidate is a document a question may be about.
type candidate struct {
	res       thutuc.SearchResult
	name      postgres.DocumentName
	norm      float64 // search score normalised by the best one, (0..1]
	named     float64 // how well the question names it: covered share of its best name, 0..1
	span      []bool  // positions of the question's words its names explain
	cover     float64 // share of the question's topic words found in its names and matched sections
	pairs     int     // pairs of adjacent topic words found side by side there
	pairShare float64 // their share of the question's pairs of adjacent topic words
	eff       float64 // named, discounted when another candidate's names explain more of the question
	score     float64 // norm + NameWeight × eff
}

// names returns the candidate's title and aliases.
func (c candidate) names() []string { return append([]string{c.name.Title}, c.name.Aliases...) }

func (c candidate) ref() Candidate { return Candidate{ID: c.res.DocumentID, Title: c.res.Title} }

// candidates searches for the documents a question may be about and re-ranks them by how well
// the question names them.
func (s *Service) candidates(ctx context.Context, text, locality string) ([]candidate, error) {
	resp, err := s.cfg.Searcher.Search(ctx, retrieval.Query{Text: text, K: s.tuning.SearchK, Filter: thutuc.Filter{Locality: locality}})
	if err != nil {
		return nil, fmt.Errorf("search for the procedure: %w", err)
	}
	if len(resp.Results) == 0 {
		return nil, nil
	}
	ids := make([]string, len(resp.Results))
	for i, r := range resp.Results {
		ids[i] = r.DocumentID
	}
	names, err := s.cfg.DB.DocumentNames(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("search for the procedure: %w", err)
	}
	q := resolve.NewNameQuery(text, resp.Expansions)
	typed := vntext.Words(text)
	top := resp.Results[0].Score
	out := make([]candidate, 0, len(resp.Results))
	for _, r := range resp.Results {
		c := candidate{res: r, name: names[r.DocumentID], norm: r.Score / top}
		if c.name.ID == "" {
			c.name = postgres.DocumentName{ID: r.DocumentID, Kind: r.Kind, Code: r.Code, Title: r.Title, Level: r.Level}
		}
		c.named, c.span = q.Named(c.name)
		c.cover, c.pairs, c.pairShare = resolve.Coverage(typed, c.name, c.res)
		out = append(out, c)
	}
	s.rank(out)
	return out, nil
}

// rank scores and sorts candidates. A candidate whose names explain only part of what
// another's explain ("đăng ký thường trú" inside "xóa đăng ký thường trú") is discounted: the
// user said the longer name.
func (s *Service) rank(cands []candidate) {
	for i := range cands {
		named := cands[i].named
		for j := range cands {
			if i != j && strictSubset(cands[i].span, cands[j].span) && cands[j].named >= named*0.5 {
				named *= s.tuning.Subsumed
				break
			}
		}
		cands[i].eff = named
		cands[i].score = cands[i].norm + s.tuning.NameWeight*named + s.tuning.PairWeight*float64(min(cands[i].pairs, 3))/3
	}
	// A question that contains a whole name of a document (its title or an alias) means that
	// document before any that it only partly names.
	sort.SliceStable(cands, func(i, j int) bool {
		fi, fj := cands[i].eff >= fullyNamed, cands[j].eff >= fullyNamed
		if fi != fj {
			return fi
		}
		return cands[i].score > cands[j].score
	})
}

func strictSubset(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	some, more := false, false
	for i := range a {
		switch {
		case a[i] && !b[i]:
			return false
		case a[i]:
			some = true
		case b[i]:
			more = true
		}
	}
	return some && more
}

// scopeWindow: a candidate scoring at least this share of the best may be answered instead of
// it when the best is not good enough to answer from.
const scopeWindow = 0.8

// scoped returns the candidates with the best one that is good enough to answer from first,
// or nil when none near the top is: the question is outside the corpus.
func (s *Service) scoped(text string, cands []candidate) []candidate {
	off := resolve.OffTopicsOf(text)
	for i, c := range cands {
		if c.score < scopeWindow*cands[0].score {
			break
		}
		if s.answerable(c, off) {
			out := append([]candidate{c}, cands[:i]...)
			return append(out, cands[i+1:]...)
		}
	}
	return nil
}

// answerable reports whether a candidate is named or covered well enough to answer from. A
// question on a subject outside procedures (off), unless its own names speak of that subject,
// must name it plainly ("làm hộ chiếu để đi du lịch").
func (s *Service) answerable(c candidate, off resolve.OffTopics) bool {
	if off.About(c.names()) {
		return c.named >= fullyNamed
	}
	return c.named >= s.tuning.MinNamed || (c.cover >= s.tuning.MinCover && c.pairs >= 1 &&
		(c.pairShare >= s.tuning.MinPairShare || s.tuning.MinPairs > 0 && c.pairs >= s.tuning.MinPairs))
}

// fullyNamed is the name score of a question that contains a whole name of the document.
const fullyNamed = 0.99

// maxOffered bounds the procedures a clarification offers.
const maxOffered = 5

// close returns the candidates the question may equally be about: those within ClarifyRatio
// of the best (UnsureRatio when the best is not named, only covered); or, when the question contains a whole name of the best, those it names wholly
// too ("làm lại căn cước" is an everyday name of both cấp đổi and cấp lại). They span at most
// maxOffered procedures; level variants of one procedure count once, so that three levels of
// one title do not crowd out a different procedure.
func (s *Service) close(cands []candidate) []candidate {
	if len(cands) < 2 {
		return cands
	}
	top := cands[0]
	ratio := s.tuning.ClarifyRatio
	if top.named < s.tuning.MinNamed && s.tuning.UnsureRatio > 0 {
		ratio = s.tuning.UnsureRatio
	}
	var out []candidate
	groups := map[string]bool{}
	for _, c := range cands {
		near := c.score >= ratio*top.score
		if top.eff >= fullyNamed {
			near = c.eff >= fullyNamed // only another whole name competes with a whole name
		}
		g := variantGroup(c.res)
		if near && (groups[g] || len(groups) < maxOffered) {
			groups[g] = true
			out = append(out, c)
		}
	}
	return out
}

// withoutRegulations removes the regulations from close candidates that include a
// procedure: the procedure is answered and the regulation's articles cited with it. It
// reports whether it removed any.
func withoutRegulations(near []candidate) ([]candidate, bool) {
	procs := near[:0:0]
	for _, c := range near {
		if c.res.Kind == thutuc.KindProcedure {
			procs = append(procs, c)
		}
	}
	if len(procs) == 0 || len(procs) == len(near) {
		return near, false
	}
	return procs, true
}

// anaphora are the words of a follow-up that point back at the procedure being discussed.
var anaphora = resolve.AccentPhrases("thì sao", "thế còn", "vậy còn", "còn nếu", "thủ tục này", "thủ tục đó", "cái này",
	"cái đó", "trường hợp này", "như vậy", "thế thì", "vậy thì", "giấy này", "giấy đó", "ở trên", "việc này")

// isFollowUp reports whether a message continues the conversation about procedure cur rather
// than naming a procedure of its own.
func (s *Service) isFollowUp(text string, cands []candidate, cur string) bool {
	if cur == "" {
		return false
	}
	if len(cands) > 0 && cands[0].res.DocumentID != cur && cands[0].named >= s.tuning.SwitchNamed {
		for _, c := range cands {
			if c.res.DocumentID == cur && c.named >= cands[0].named {
				return true // it names the current procedure as well as the other
			}
		}
		return false // it clearly names another procedure
	}
	words := vntext.Words(text)
	if len(words) > 0 && words[0] == "còn" || resolve.AnyAccent(words, anaphora) {
		return true
	}
	if len(cands) == 0 {
		return true
	}
	// A message that names nothing is a follow-up, unless it plainly speaks of another
	// procedure in its own words ("bố tôi mới mất thì phải báo tử ở đâu") and not of this one.
	best := cands[0]
	if best.res.DocumentID != cur && best.cover >= followCover && best.pairs >= 2 {
		for _, c := range cands {
			if c.res.DocumentID == cur && c.score >= scopeWindow*best.score {
				return true
			}
		}
		return false
	}
	return best.named < s.tuning.SwitchNamed
}

// followCover is the share of a message's topic words another procedure must contain (with
// two adjacent pairs) for a message naming nothing to leave the current procedure.
const followCover = 0.6

// ordinals are the words for numbers one to five a user may answer a clarification with.
var ordinals = map[string]int{"mot": 1, "nhat": 1, "hai": 2, "nhi": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}

// pickCandidate returns the index of the candidate a reply to a clarification picks ("2",
// "số 2", "thứ hai", or a name or part of one), or -1 when it picks none.
func pickCandidate(text string, cands []Candidate) int {
	words := resolve.FoldedWords(text)
	if len(words) == 0 || len(cands) == 0 {
		return -1
	}
	if len(words) <= 3 {
		for _, w := range words {
			if n, err := strconv.Atoi(strings.TrimRight(w, ".)")); err == nil && n >= 1 && n <= len(cands) {
				return n - 1
			}
		}
		for _, w := range words {
			if n, ok := ordinals[w]; ok && n <= len(cands) && len(words) <= 2 {
				return n - 1
			}
		}
	}
	return pickByName(words, cands)
}

// pickByName picks the candidate whose title shares most words with the reply, counting only
// words that distinguish the candidates from each other.
func pickByName(words []string, cands []Candidate) int {
	titles := make([]map[string]bool, len(cands))
	common := map[string]int{}
	for i, c := range cands {
		titles[i] = map[string]bool{}
		for _, w := range resolve.FoldedWords(c.Title) {
			if !titles[i][w] {
				titles[i][w] = true
				common[w]++
			}
		}
	}
	best, bestN, tie := -1, 0, false
	for i := range cands {
		n := 0
		for _, w := range words {
			if titles[i][w] && common[w] < len(cands) && !resolve.IsFoldedStop(w) {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = i, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}
