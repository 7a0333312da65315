// Package retrieval finds the documents and sections that answer a question: query
// normalisation (NFC, tone placement, diacritic folding), expansion of everyday words from the
// lexicon, lexical search (BM25 over an in-memory index of the store's chunks) and vector
// search (pgvector in the store), fused by reciprocal rank fusion and grouped per document.
package retrieval

import (
	"context"
	"errors"
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
	// VectorWeight is the weight of the chunk-vector ranking against the lexical one in hybrid
	// search (default DefaultVectorWeight).
	VectorWeight float64
	// DocumentWeight is the weight of the ranking by documents' own vectors (default
	// DefaultDocumentWeight; negative turns it off).
	DocumentWeight float64
	// Fusion is how the rankings combine: FusionRRF (default) or FusionScores.
	Fusion string
	// RawVectorQuery embeds the question's words alone, without the lexicon's official terms:
	// the trained embedder has learnt the everyday words itself.
	RawVectorQuery bool
	// LexicalWait is the build time of the lexical index up to which a search waits for a
	// fresh one after the store changed (default 500 ms); above it, and always when negative,
	// the previous index answers while the new one builds.
	LexicalWait time.Duration
	// OnLexicalBuild, when set, is told of every build of the lexical index (metrics).
	OnLexicalBuild func(took time.Duration, err error)
	// OnSearch, when set, is told the time of every search that ran, by mode (metrics).
	OnSearch func(mode string, took time.Duration)

	lex lexicalState
}

// NewSearcher returns a searcher over db with the fusion that suits emb: for the trained
// built-in embedder, scores added with its document vectors at full weight and its chunk
// vectors at DefaultVectorWeight; for the hashing embedder, RRF of BM25 and its chunk vectors at
// DefaultVectorWeight (its document vectors add nothing); for a remote embedding model, RRF
// with its chunk and document vectors at full weight.
func NewSearcher(db *postgres.DB, emb embedding.Embedder, lex *Lexicon, logger *slog.Logger) *Searcher {
	s := &Searcher{DB: db, Embedder: emb, Lexicon: lex, Logger: logger}
	switch emb.(type) {
	case *embedding.Trained:
		s.Fusion, s.VectorWeight, s.DocumentWeight, s.RawVectorQuery = FusionScores, DefaultVectorWeight, DefaultDocumentWeight, true
	case *embedding.Hashing:
		s.Fusion, s.VectorWeight, s.DocumentWeight = FusionRRF, DefaultVectorWeight, -1
	default:
		s.Fusion, s.VectorWeight, s.DocumentWeight = FusionRRF, 1, 1
	}
	return s
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
	// Signals are what each retriever said of each result, by document id: the evidence a
	// resolver weighs beside the fused score.
	Signals map[string]Signals `json:"-"`
}

// Signals are one document's scores and ranks in each retriever's document ranking (rank 0:
// the retriever did not return it).
type Signals struct {
	Text      float64 `json:"text"`      // BM25 document score
	TextRank  int     `json:"text_rank"` //
	TextTop   float64 `json:"text_top"`  // the best BM25 document score of the question
	Own       float64 `json:"own"`       // cosine similarity of the document's own vector
	OwnRank   int     `json:"own_rank"`
	OwnTop    float64 `json:"own_top"`
	Chunk     float64 `json:"chunk"` // cosine similarity of its best chunk
	ChunkRank int     `json:"chunk_rank"`
}

// DefaultVectorWeight is the vector ranking's weight in hybrid search. The built-in hashing
// embedder is a weaker ranker than BM25 (catalog set hit@1 0.495 against 0.692) and at equal
// weight it pulled hybrid below text-only (0.657); at 0.3 hybrid matches text-only at rank 1
// and adds at rank 3 to 5. A semantic embedding model deserves 1 (set by serve for openai
// and ollama embedders).
const DefaultVectorWeight = 0.3

// DefaultDocumentWeight is the weight of the ranking by documents' own vectors: with the
// trained embedder, the vector of the procedure a question is about.
const DefaultDocumentWeight = 1.0

// rrfK is the constant of reciprocal rank fusion: score = Σ weight/(rrfK + rank). The usual
// 60 suits many retrievers of equal strength; with one strong (BM25) and one weaker (the
// built-in embedder) a smaller constant lets the first ranks count more. Measured, hybrid
// hit@1 at 60 / 10 / 5: catalog set 0.682 / 0.697 / 0.707, dev set 0.922 / 0.930 / 0.930;
// 10 keeps more near-ties for clarification than 5 (11 against 9 on the dev set).
const rrfK = 10

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
	if s.OnSearch != nil {
		defer func(start time.Time) {
			mode := q.Mode
			if mode == "" {
				mode = ModeHybrid
			}
			s.OnSearch(mode, time.Since(start))
		}(time.Now())
	}
	found, err := s.retrieve(ctx, q, words, exps)
	if err != nil {
		return nil, err
	}
	vw := s.VectorWeight
	if vw <= 0 {
		vw = DefaultVectorWeight
	}
	dw := s.DocumentWeight
	if dw == 0 {
		dw = DefaultDocumentWeight
	}
	docs := fuse(s.Fusion, levelOrder(words), []ranking{{found.text, 1}, {found.vector, vw}}, []docRanking{{found.docs, max(dw, 0)}})
	if len(docs) == 0 {
		return resp, nil
	}
	results, err := s.group(ctx, docs, q.K, q.Sections)
	if err != nil {
		return nil, err
	}
	resp.Results = results
	resp.Signals = make(map[string]Signals, len(docs))
	for _, d := range docs {
		resp.Signals[d.id] = d.signals
	}
	return resp, nil
}

// retrieved are the chunks each retriever found, best first, and the documents found by their
// own vectors.
type retrieved struct {
	text, vector []postgres.ChunkHit
	docs         []postgres.DocumentHit
}

// retrieve runs the retrievers of q.Mode concurrently.
func (s *Searcher) retrieve(ctx context.Context, q Query, words []string, exps []Expansion) (retrieved, error) {
	n := s.Candidates
	if n <= 0 {
		n = 60
	}
	var r retrieved
	var textErr, vecErr, docErr error
	var wg sync.WaitGroup
	if q.Mode != ModeVector {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix, err := s.lexical(ctx)
			if err != nil {
				textErr = err
				return
			}
			r.text = ix.search(lexicalTerms(words, exps), q.Filter, n)
		}()
	}
	if q.Mode != ModeText {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := embeddingQuery(words, exps)
			if s.RawVectorQuery {
				text = strings.Join(words, " ")
			}
			v, err := s.Embedder.EmbedQuery(ctx, text)
			if err != nil {
				vecErr = fmt.Errorf("embed query: %w", err)
				return
			}
			var inner sync.WaitGroup
			if s.DocumentWeight >= 0 {
				inner.Add(1)
				go func() {
					defer inner.Done()
					r.docs, docErr = s.DB.SearchDocumentVectors(ctx, v, q.Filter, n)
					for i := range r.docs {
						r.docs[i].Score = 1 - r.docs[i].Score
					}
				}()
			}
			r.vector, vecErr = s.DB.SearchVector(ctx, v, q.Filter, n)
			// Cosine distance to similarity, so that higher is better in both lists.
			for i := range r.vector {
				r.vector[i].Score = 1 - r.vector[i].Score
			}
			inner.Wait()
		}()
	}
	wg.Wait()
	return r, errors.Join(textErr, vecErr, docErr)
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

// ranking is one retriever's chunks, best first, and the weight of its votes in the fusion.
type ranking struct {
	hits   []postgres.ChunkHit
	weight float64
}

// docRanking is one retriever's documents, best first, and the weight of its votes.
type docRanking struct {
	hits   []postgres.DocumentHit
	weight float64
}

// docHits is a document found by the retrievers, with its chunks in fused order.
type docHits struct {
	id      string
	levels  []string
	chunks  []postgres.ChunkHit
	score   float64
	signals Signals
}

// Fusions: how the retrievers' document rankings combine.
const (
	// FusionRRF is reciprocal rank fusion: score = Σ weight/(rrfK + rank). It needs no
	// knowledge of the scores' scales, so it suits any embedder.
	FusionRRF = "rrf"
	// FusionScores adds the scores themselves: the lexical score relative to the best one,
	// plus weight × cosine similarity of each vector ranking (a document a ranking did not
	// return gets that ranking's lowest similarity). Fit for an embedder whose similarities
	// mean the same from one question to the next, such as the trained built-in one; on the
	// development split it ranked the right procedure first more often than RRF (0.907
	// against 0.892 at the best weights of each).
	FusionScores = "scores"
)

// fuse ranks documents by fusing each retriever's document ranking (see FusionRRF and
// FusionScores), each ranking tilted towards the levels in order. The lexical ranking is
// lists[0]. Fusing documents rather than chunks keeps a document that one retriever ranks
// first ahead of one that merely has more chunks in the lists. Each document's chunks are
// ordered by reciprocal rank fusion at chunk level, with the same weights, for its sections.
func fuse(method string, order []string, lists []ranking, docLists []docRanking) []*docHits {
	byID := map[string]*docHits{}
	var docs []*docHits
	doc := func(d rankedDoc) *docHits {
		h, ok := byID[d.id]
		if !ok {
			h = &docHits{id: d.id, levels: d.levels}
			byID[d.id] = h
			docs = append(docs, h)
		}
		return h
	}
	type weighted struct {
		ranked []rankedDoc
		weight float64
		text   bool
		kind   int // 0 text, 1 chunk vectors, 2 own vectors
	}
	var rankings []weighted
	chunkScore := map[int64]float64{}
	for i, l := range lists {
		if l.weight <= 0 {
			continue
		}
		rankings = append(rankings, weighted{rankDocuments(l.hits, order), l.weight, i == 0, min(i, 1)})
		for rank, c := range l.hits {
			if _, ok := chunkScore[c.ChunkID]; !ok {
				doc(rankedDoc{id: c.DocumentID, levels: c.Levels}).chunks = append(byID[c.DocumentID].chunks, c)
			}
			chunkScore[c.ChunkID] += l.weight / (rrfK + float64(rank+1))
		}
	}
	for _, l := range docLists {
		if l.weight > 0 {
			rankings = append(rankings, weighted{rankOwnVectors(l.hits, order), l.weight, false, 2})
		}
	}
	for _, r := range rankings {
		for rank, d := range r.ranked {
			sig := &doc(d).signals
			switch r.kind {
			case 0:
				sig.Text, sig.TextRank, sig.TextTop = d.score, rank+1, r.ranked[0].score
			case 1:
				sig.Chunk, sig.ChunkRank = d.score, rank+1
			case 2:
				sig.Own, sig.OwnRank, sig.OwnTop = d.score, rank+1, r.ranked[0].score
			}
		}
	}
	for _, r := range rankings {
		if len(r.ranked) == 0 {
			continue
		}
		if method != FusionScores {
			for rank, d := range r.ranked {
				byID[d.id].score += r.weight / (rrfK + float64(rank+1))
			}
			continue
		}
		got := make(map[string]float64, len(r.ranked))
		for _, d := range r.ranked {
			got[d.id] = d.score
		}
		top, low := r.ranked[0].score, r.ranked[len(r.ranked)-1].score
		for _, h := range docs {
			s, ok := got[h.id]
			switch {
			case r.text && top > 0:
				h.score += r.weight * s / top // 0 when not found
			case !r.text && ok:
				h.score += r.weight * s
			case !r.text:
				h.score += r.weight * low
			}
		}
	}
	for _, d := range docs {
		sort.SliceStable(d.chunks, func(i, j int) bool { return chunkScore[d.chunks[i].ChunkID] > chunkScore[d.chunks[j].ChunkID] })
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].score > docs[j].score })
	return docs
}

// rankOwnVectors orders documents found by their own vectors, tilted towards the levels in
// order like rankDocuments.
func rankOwnVectors(list []postgres.DocumentHit, order []string) []rankedDoc {
	out := make([]rankedDoc, len(list))
	for i, h := range list {
		out[i] = rankedDoc{id: h.DocumentID, levels: h.Levels, score: h.Score * (1 + levelBonus(h.Levels, order))}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// rankedDoc is a document in one retriever's ranking.
type rankedDoc struct {
	id     string
	levels []string
	score  float64
}

// rankDocuments turns one retriever's chunks (best first, higher scores better) into a
// ranking of documents: a document scores its best chunk plus a fifth of its next two (one
// that matches in several sections is more likely the one asked about), raised by the
// relative bonus of its level in the order the question prefers (levelOrder).
func rankDocuments(list []postgres.ChunkHit, order []string) []rankedDoc {
	idx := map[string]int{}
	var out []rankedDoc
	var chunks []int // chunks of out[i] seen so far
	for _, c := range list {
		i, ok := idx[c.DocumentID]
		if !ok {
			i = len(out)
			idx[c.DocumentID] = i
			out = append(out, rankedDoc{id: c.DocumentID, levels: c.Levels})
			chunks = append(chunks, 0)
		}
		switch chunks[i] {
		case 0:
			out[i].score += c.Score
		case 1, 2:
			out[i].score += 0.2 * c.Score
		}
		chunks[i]++
	}
	for i := range out {
		out[i].score *= 1 + levelBonus(out[i].levels, order)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// group returns the k best documents (docs is sorted), each with its best sections.
func (s *Searcher) group(ctx context.Context, docs []*docHits, k, perDoc int) ([]thutuc.SearchResult, error) {
	if len(docs) > k {
		docs = docs[:k]
	}
	var bare []string
	for _, d := range docs {
		if len(d.chunks) == 0 {
			bare = append(bare, d.id)
		}
	}
	if len(bare) > 0 {
		lead, err := s.DB.LeadChunks(ctx, bare)
		if err != nil {
			return nil, err
		}
		kept := docs[:0]
		for _, d := range docs {
			if len(d.chunks) == 0 {
				id, ok := lead[d.id]
				if !ok {
					continue // a document without chunks, or deleted since
				}
				d.chunks = []postgres.ChunkHit{{ChunkID: id, DocumentID: d.id, Levels: d.levels}}
			}
			kept = append(kept, d)
		}
		docs = kept
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
