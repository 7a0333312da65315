// Package resolve decides which procedure a message means, for search, chat and lookup alike:
// it ranks the candidate procedures retrieval finds, gives each a calibrated probability of
// being the one meant and the probability that none is, and, when two or more stay close,
// the facet that separates them (action, applicant, level) with the question to ask.
//
// The probabilities come from a conditional logit model (Model) over features of each
// candidate — the retrievers' scores, how well the message names it, whether the action,
// applicant and level it speaks of agree with the knowledge base, whether it is the
// conversation's procedure — fit on the training split of the citizen questions; the
// thresholds that turn probabilities into decisions were chosen on the dev split
// (`thutuc resolver-train`). Chat composes the answer about the procedure chosen here.
package resolve

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// Decisions.
const (
	Answer  = "answer"  // one procedure is likely enough to answer about
	Clarify = "clarify" // a few are, none enough: ask what separates them
	None    = "none"    // no procedure is likely: say so
)

// Resolver resolves messages to procedures.
type Resolver struct {
	Searcher *retrieval.Searcher
	DB       *postgres.DB
	KB       *kb.Base
	Model    *Model
	// K is how many documents a search returns before grouping (default 10).
	K int
}

// Query is one message to resolve.
type Query struct {
	Text     string
	Locality string
	// Current is the id of the procedure the conversation is about ("" for none): a
	// follow-up ("nộp online được không?") is about it.
	Current string
}

// Candidate is one procedure a message may mean: a document and the same procedure at other
// levels.
type Candidate struct {
	Result   thutuc.SearchResult   // the document to answer from: the level the question prefers
	Variants []thutuc.SearchResult // the same procedure at other levels
	// Sources are the catalog records a bundled sheet (Result) is written from, by id: one
	// procedure with the sheet, not a choice.
	Sources  []string
	Name     postgres.DocumentName // its title and aliases
	Entry    *kb.Entry             // what the knowledge base says of it, nil when nothing
	Signals  retrieval.Signals     // the retrievers' scores of Result
	Features Features
	P        float64 // probability that this is the procedure meant
	Current  bool    // the conversation's procedure
}

// ID is the candidate's document id.
func (c Candidate) ID() string { return c.Result.DocumentID }

// Resolution is the outcome of a message.
type Resolution struct {
	Decision   string
	Candidates []Candidate // best first
	None       float64     // probability that no candidate is meant
	// Offered are the candidates a clarification offers (Decision Clarify), with the facet
	// that separates them.
	Offered []Candidate
	Facet   *Facet
	// Topic is the uncovered sector the message names, when it names one.
	Topic *kb.Topic
	// NoTopic is true when the message names no subject at all ("nộp online được không?").
	NoTopic    bool
	Expansions []retrieval.Expansion
}

// Best returns the most likely candidate, or nil.
func (r *Resolution) Best() *Candidate {
	if len(r.Candidates) == 0 {
		return nil
	}
	return &r.Candidates[0]
}

// Resolve resolves one message.
func (r *Resolver) Resolve(ctx context.Context, q Query) (*Resolution, error) {
	obs, err := r.Observe(ctx, q)
	if err != nil {
		return nil, err
	}
	r.Model.score(obs)
	obs.decide(r.Model)
	return obs.Resolution, nil
}

// Observation is a resolution before the model decides: the candidates with their features.
type Observation struct {
	*Resolution
	NoneFeatures Features
}

// Observe finds the candidates of a message and computes their features.
func (r *Resolver) Observe(ctx context.Context, q Query) (*Observation, error) {
	k := r.K
	if k <= 0 {
		k = 10
	}
	text := focusText(q.Text)
	resp, err := r.Searcher.Search(ctx, retrieval.Query{Text: text, K: k, Filter: thutuc.Filter{Locality: q.Locality}})
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", truncate(q.Text, 60), err)
	}
	results := resp.Results
	if q.Current != "" && !hasDocument(results, q.Current) {
		cur, err := r.currentResult(ctx, q.Current)
		if err != nil {
			return nil, err
		}
		if cur != nil {
			results = append(results, *cur)
		}
	}
	ids := make([]string, len(results))
	for i, res := range results {
		ids[i] = res.DocumentID
	}
	names, err := r.DB.DocumentNames(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	cands := group(results, resp.Signals, names)
	for i := range cands {
		c := &cands[i]
		if e, ok := r.KB.Entry(c.Result.Code); ok {
			c.Entry = e
			c.Name = withNames(c.Name, e.Names)
		}
		c.Current = q.Current != "" && c.has(q.Current)
	}
	obs := &Observation{Resolution: &Resolution{Expansions: resp.Expansions}}
	msg := newMessage(text, resp.Expansions, r.KB)
	obs.NoTopic = msg.noTopic
	if t, words := r.KB.TopicWordsOf(text); len(words) > 0 {
		obs.Topic = &t
		msg.sectorWords = words
	}
	top := 0.0
	if len(cands) > 0 {
		top = cands[0].Result.Score
	}
	// A message that wholly names a procedure other than the conversation's is not a
	// follow-up, whatever words it starts with ("còn làm căn cước cho con thì sao").
	named := make([]float64, len(cands))
	for i := range cands {
		named[i], _ = msg.names.Named(cands[i].Name)
		if named[i] >= fullyNamed && !cands[i].Current {
			msg.namesAnother = true
		}
	}
	for i := range cands {
		cands[i].Features = msg.features(&cands[i], i, top, named[i])
	}
	obs.Candidates = cands
	obs.NoneFeatures = msg.noneFeatures(cands, q.Current != "")
	return obs, nil
}

// currentResult is the conversation's procedure as a search result, for a message whose own
// search does not find it; nil when the document is gone.
func (r *Resolver) currentResult(ctx context.Context, id string) (*thutuc.SearchResult, error) {
	names, err := r.DB.DocumentNames(ctx, []string{id})
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	n, ok := names[id]
	if !ok {
		return nil, nil
	}
	return &thutuc.SearchResult{DocumentID: n.ID, Code: n.Code, Title: n.Title, Kind: n.Kind, Level: n.Level}, nil
}

// group turns search results into candidates, one per procedure: level variants of one
// procedure (the same title without its level phrase) join the first of them, which
// retrieval ranked for the level the question prefers. A bundled sheet and the catalog record
// with its official code are one procedure too: the sheet, written in plain words, is the
// document answered from.
func group(results []thutuc.SearchResult, sig map[string]retrieval.Signals, names map[string]postgres.DocumentName) []Candidate {
	var out []Candidate
	byKey := map[string]int{}
	for _, res := range results {
		key := "\x00" + res.DocumentID
		if res.Kind == thutuc.KindProcedure {
			key = kb.VariantKey(res.Title)
		}
		codeKey := "code\x00" + res.Code
		i, ok := byKey[key]
		if !ok && res.Kind == thutuc.KindProcedure && res.Code != "" {
			i, ok = byKey[codeKey]
		}
		if ok {
			if _, seen := byKey[key]; !seen {
				byKey[key] = i // the record's own level variants join it too
			}
			c := &out[i]
			switch {
			case isSheet(res) && !isSheet(c.Result) && res.Code == c.Result.Code:
				// The bundled sheet stands for the procedure; the record is its source.
				c.Sources = append(c.Sources, c.Result.DocumentID)
				c.Result, c.Name, c.Signals = res, names[res.DocumentID], maxSignals(sig[res.DocumentID], c.Signals)
			case isSheet(c.Result) && res.Code == c.Result.Code:
				c.Sources = append(c.Sources, res.DocumentID)
				c.Signals = maxSignals(c.Signals, sig[res.DocumentID])
			default:
				c.Variants = append(c.Variants, res)
			}
			continue
		}
		n, found := names[res.DocumentID]
		if !found {
			n = postgres.DocumentName{ID: res.DocumentID, Kind: res.Kind, Code: res.Code, Title: res.Title, Level: res.Level}
		}
		byKey[key] = len(out)
		if res.Code != "" {
			byKey[codeKey] = len(out)
		}
		out = append(out, Candidate{Result: res, Name: n, Signals: sig[res.DocumentID]})
	}
	return out
}

// withNames returns a document's names with the knowledge base's names of its procedure
// added: a bundled sheet is named as its catalog record is (the importer writes the base's
// names as the record's aliases, the sheet has only its own).
func withNames(n postgres.DocumentName, names []string) postgres.DocumentName {
	seen := map[string]bool{vntext.Key(n.Title): true}
	for _, a := range n.Aliases {
		seen[vntext.Key(a)] = true
	}
	aliases := slices.Clip(n.Aliases)
	for _, a := range names {
		if k := vntext.Key(a); !seen[k] {
			seen[k] = true
			aliases = append(aliases, a)
		}
	}
	n.Aliases = aliases
	return n
}

// isSheet reports whether a document is a bundled sheet rather than a catalog record, whose
// id is its code.
func isSheet(r thutuc.SearchResult) bool {
	return r.Kind == thutuc.KindProcedure && r.DocumentID != r.Code
}

func maxSignals(a, b retrieval.Signals) retrieval.Signals {
	if b.Text > a.Text {
		a.Text, a.TextRank = b.Text, b.TextRank
	}
	if b.Own > a.Own {
		a.Own, a.OwnRank = b.Own, b.OwnRank
	}
	if b.Chunk > a.Chunk {
		a.Chunk, a.ChunkRank = b.Chunk, b.ChunkRank
	}
	a.TextTop, a.OwnTop = max(a.TextTop, b.TextTop), max(a.OwnTop, b.OwnTop)
	return a
}

func hasDocument(rs []thutuc.SearchResult, id string) bool {
	for _, r := range rs {
		if r.DocumentID == id {
			return true
		}
	}
	return false
}

// has reports whether the candidate is, or stands for, document id.
func (c Candidate) has(id string) bool {
	return c.Result.DocumentID == id || hasDocument(c.Variants, id) || slices.Contains(c.Sources, id)
}

// Accepts reports whether the candidate is one of the given document ids or codes (any of its
// levels counts).
func (c Candidate) Accepts(ids []string) bool {
	for _, id := range ids {
		if c.Result.DocumentID == id || c.Result.Code == id || slices.Contains(c.Sources, id) {
			return true
		}
		for _, v := range c.Variants {
			if v.DocumentID == id || v.Code == id {
				return true
			}
		}
	}
	return false
}

// focusText is what retrieval reads of a message: all of it when short; of a long story, the
// sentences that ask something and the one before each, which is where citizens name what
// they need ("… Giờ tôi muốn làm lại sổ đỏ thì cần gì?"), at most maxFocusRunes.
func focusText(text string) string {
	if len([]rune(text)) <= maxFocusRunes {
		return text
	}
	sentences := splitSentences(text)
	var keep []string
	for i, s := range sentences {
		if asks(s) {
			if i > 0 && (len(keep) == 0 || keep[len(keep)-1] != sentences[i-1]) {
				keep = append(keep, sentences[i-1])
			}
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		keep = sentences[max(0, len(sentences)-2):]
	}
	out := strings.Join(keep, " ")
	if r := []rune(out); len(r) > maxFocusRunes {
		out = string(r[len(r)-maxFocusRunes:])
	}
	return out
}

// maxFocusRunes bounds what retrieval reads of a message (retrieval.MaxQueryRunes).
const maxFocusRunes = 600

func splitSentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		if r == '.' || r == '?' || r == '!' || r == '\n' || r == ';' {
			if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// questionWords mark a sentence that asks something.
var questionWords = Phrases("thế nào", "làm sao", "như thế nào", "ra sao", "ở đâu", "bao lâu", "bao nhiêu", "cần gì",
	"gì không", "được không", "có phải", "hay không", "những gì", "giấy tờ gì", "thủ tục gì", "làm gì", "muốn", "cần",
	"xin hỏi", "cho hỏi", "hỏi")

func asks(sentence string) bool {
	return strings.Contains(sentence, "?") || ContainsAny(FoldedWords(sentence), questionWords)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// sortByP orders candidates by probability, best first (stable: retrieval order breaks ties).
func sortByP(cs []Candidate) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].P > cs[j].P })
}

// New returns a resolver over the searcher's store with the knowledge base and the model
// committed in corpus/.
func New(s *retrieval.Searcher, db *postgres.DB) (*Resolver, error) {
	base, err := corpus.KB()
	if err != nil {
		return nil, err
	}
	data, err := corpus.Resolver()
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, fmt.Errorf("no resolver model in corpus/%s: run `thutuc resolver-train`", corpus.ResolverPath)
	}
	m, err := LoadModel(data)
	if err != nil {
		return nil, err
	}
	return &Resolver{Searcher: s, DB: db, KB: base, Model: m}, nil
}
