// Package retrieval finds the documents and sections that answer a question: query
// normalisation (NFC, tone placement, diacritic folding), expansion of everyday words from the
// lexicon, full-text and vector search in the store, fused by reciprocal rank fusion and grouped
// per document.
package retrieval

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
)

// Search modes.
const (
	ModeHybrid = "hybrid"
	ModeText   = "text"
	ModeVector = "vector"
)

// MaxQueryRunes bounds a query.
const MaxQueryRunes = 1000

// Searcher runs searches against the store.
type Searcher struct {
	DB       *postgres.DB
	Embedder embedding.Embedder
	Lexicon  *Lexicon
	Logger   *slog.Logger
	// Candidates is how many chunks each retriever contributes before fusion (default 60).
	Candidates int

	stats struct {
		sync.Mutex
		at     time.Time
		shares termShares
	}
}

// termStatsTTL is how long term statistics are reused before they are read again.
const termStatsTTL = 5 * time.Minute

// shares returns the cached share of chunks holding each frequent word. Failing to read them
// costs speed, not answers, so errors are logged and the last value kept.
func (s *Searcher) shares(ctx context.Context) termShares {
	s.stats.Lock()
	defer s.stats.Unlock()
	if time.Since(s.stats.at) < termStatsTTL {
		return s.stats.shares
	}
	st, err := s.DB.TermFrequencies(ctx)
	if err != nil {
		if s.Logger != nil {
			s.Logger.Warn("term frequencies", "err", err)
		}
		return s.stats.shares
	}
	s.stats.at, s.stats.shares = time.Now(), termShares{accented: st.Accented, folded: st.Folded, chunks: st.Chunks}
	return s.stats.shares
}

// Query is one search.
type Query struct {
	Text     string        `json:"query"`
	K        int           `json:"k"` // documents to return (default 5, at most 50)
	Filter   thutuc.Filter `json:"filters"`
	Mode     string        `json:"mode,omitempty"` // hybrid (default), text or vector
	Sections int           `json:"-"`              // best sections per document (default 3)
}

// Response is the result of a search.
type Response struct {
	Results    []thutuc.SearchResult `json:"results"`
	Normalized string                `json:"normalized"`
	Expansions []Expansion           `json:"expansions,omitempty"`
}

// rrfK is the constant of reciprocal rank fusion: score = Σ 1/(rrfK + rank).
const rrfK = 60

// Validate checks a query and fills defaults.
func (q *Query) Validate() error {
	q.Text = strings.TrimSpace(q.Text)
	switch {
	case q.Text == "":
		return thutuc.Errorf(thutuc.EINVALID, "Câu hỏi trống: hãy nhập nội dung cần tìm.")
	case utf8.RuneCountInString(q.Text) > MaxQueryRunes:
		return thutuc.Errorf(thutuc.EINVALID, "Câu hỏi quá dài (tối đa %d ký tự).", MaxQueryRunes)
	case !utf8.ValidString(q.Text):
		return thutuc.Errorf(thutuc.EINVALID, "Câu hỏi không phải văn bản UTF-8 hợp lệ.")
	case q.K < 0 || q.K > 50:
		return thutuc.Errorf(thutuc.EINVALID, "k phải từ 1 đến 50.")
	}
	if q.K == 0 {
		q.K = 5
	}
	if q.Sections <= 0 {
		q.Sections = 3
	}
	switch q.Mode {
	case "":
		q.Mode = ModeHybrid
	case ModeHybrid, ModeText, ModeVector:
	default:
		return thutuc.Errorf(thutuc.EINVALID, "mode phải là hybrid, text hoặc vector.")
	}
	if q.Filter.Kind != "" && q.Filter.Kind != thutuc.KindProcedure && q.Filter.Kind != thutuc.KindRegulation {
		return thutuc.Errorf(thutuc.EINVALID, "filters.kind phải là procedure hoặc regulation.")
	}
	return nil
}

// Search runs q.
func (s *Searcher) Search(ctx context.Context, q Query) (*Response, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	norm := vntext.Normalize(q.Text)
	words := vntext.Tokens(norm)
	exps := s.Lexicon.Expand(words)
	resp := &Response{Normalized: norm, Expansions: exps, Results: []thutuc.SearchResult{}}
	hits, err := s.retrieve(ctx, q, words, exps)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return resp, nil
	}
	results, err := s.group(ctx, hits, levelOrder(words), q.K, q.Sections)
	if err != nil {
		return nil, err
	}
	resp.Results = results
	return resp, nil
}

// fused is a chunk with its fused score.
type fused struct {
	postgres.ChunkHit
	score float64
}

// retrieve runs the retrievers of q.Mode concurrently and fuses their rankings.
func (s *Searcher) retrieve(ctx context.Context, q Query, words []string, exps []Expansion) ([]fused, error) {
	n := s.Candidates
	if n <= 0 {
		n = 60
	}
	var textHits, vecHits []postgres.ChunkHit
	var textErr, vecErr error
	var wg sync.WaitGroup
	if q.Mode != ModeVector {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tq := tsQueries(words, exps, s.shares(ctx))
			textHits, textErr = s.DB.SearchText(ctx, postgres.TextQuery{Accented: tq.accented, Folded: tq.folded, Filter: q.Filter, Limit: n})
		}()
	}
	if q.Mode != ModeText {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.Embedder.EmbedQuery(ctx, embeddingQuery(words, exps))
			if err != nil {
				vecErr = fmt.Errorf("embed query: %w", err)
				return
			}
			vecHits, vecErr = s.DB.SearchVector(ctx, v, q.Filter, n)
		}()
	}
	wg.Wait()
	if textErr != nil {
		return nil, textErr
	}
	if vecErr != nil {
		return nil, vecErr
	}
	return fuse(textHits, vecHits), nil
}

// embeddingQuery is the text embedded for a query: its words plus the official terms the
// lexicon found, so that "sổ đỏ" lands near "giấy chứng nhận quyền sử dụng đất".
func embeddingQuery(words []string, exps []Expansion) string {
	parts := []string{strings.Join(words, " ")}
	for _, e := range exps {
		parts = append(parts, e.Terms...)
	}
	return strings.Join(parts, " ; ")
}

// fuse combines rankings by reciprocal rank fusion.
func fuse(lists ...[]postgres.ChunkHit) []fused {
	byID := map[int64]*fused{}
	var order []int64
	for _, list := range lists {
		for rank, h := range list {
			f, ok := byID[h.ChunkID]
			if !ok {
				f = &fused{ChunkHit: h}
				byID[h.ChunkID] = f
				order = append(order, h.ChunkID)
			}
			f.score += 1 / float64(rrfK+rank+1)
		}
	}
	out := make([]fused, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// group turns fused chunks into the k best documents, each with its best sections. A
// document's score is its best chunk's plus a little for the next two (a document that matches
// in several sections is more likely the one asked about), plus a small bonus for the level the
// question prefers (levelOrder).
func (s *Searcher) group(ctx context.Context, hits []fused, order []string, k, perDoc int) ([]thutuc.SearchResult, error) {
	type docAgg struct {
		id     string
		levels []string
		chunks []fused
		score  float64
	}
	aggs := map[string]*docAgg{}
	var docs []*docAgg
	for _, h := range hits {
		a, ok := aggs[h.DocumentID]
		if !ok {
			a = &docAgg{id: h.DocumentID, levels: h.Levels}
			aggs[h.DocumentID] = a
			docs = append(docs, a)
		}
		switch len(a.chunks) {
		case 0:
			a.score += h.score
		case 1, 2:
			a.score += 0.2 * h.score
		}
		a.chunks = append(a.chunks, h)
	}
	for _, d := range docs {
		d.score += levelBonus(d.levels, order)
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].score > docs[j].score })
	if len(docs) > k {
		docs = docs[:k]
	}
	var ids []int64
	for _, d := range docs {
		if len(d.chunks) > perDoc {
			d.chunks = d.chunks[:perDoc]
		}
		for _, c := range d.chunks {
			ids = append(ids, c.ChunkID)
		}
	}
	views, err := s.DB.Chunks(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]thutuc.SearchResult, 0, len(docs))
	for _, d := range docs {
		first, ok := views[d.chunks[0].ChunkID]
		if !ok {
			continue // deleted between the two queries
		}
		r := thutuc.SearchResult{
			DocumentID: d.id, Code: first.Code, Title: first.Title, Kind: first.Kind, Level: first.Level,
			Score: d.score, SourceURL: first.SourceURL, AsOf: first.AsOf, Sections: []thutuc.SearchSection{},
		}
		for _, c := range d.chunks {
			v, ok := views[c.ChunkID]
			if !ok {
				continue
			}
			r.Sections = append(r.Sections, thutuc.SearchSection{ChunkID: v.ID, Section: v.Section, Heading: v.Heading, Article: v.Article, Text: v.Text})
		}
		out = append(out, r)
	}
	return out, nil
}
