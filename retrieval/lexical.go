package retrieval

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
)

// LexicalIndex is an in-memory BM25 index of the store's chunks, rebuilt from Postgres (the
// store stays the only source of truth; see Searcher.lexical for freshness).
//
// Two fields are scored: a document's title (title, aliases and code), shared by all its
// chunks, and a chunk's body (headings below the title and text). Each is indexed under four
// kinds of terms: words as typed (accented), folded words (no diacritics, đ→d), and adjacent
// word pairs in both forms, since Vietnamese words are often two syllables ("hộ chiếu").
// Accented terms are kept only where they differ from the folded ones. Postings pack a row
// index (24 bits) and a term frequency (8 bits) into 32 bits.
type LexicalIndex struct {
	generation int64
	seed       maphash.Seed

	docs     []lexDoc
	docTerms postingTable
	docNorm  []float32 // BM25 length normalisation of each title: k1·(1-b+b·len/avg)

	chunkIDs   []int64
	chunkDoc   []uint32
	chunkTerms postingTable
	chunkNorm  []float32

	pool sync.Pool // *lexScratch
}

type lexDoc struct {
	id, kind, field, agency, locality string
	levels                            []string
}

// BM25 parameters, chosen on both question sets (bench: text-only hit@1 on the catalog set
// rose from 0.657 to 0.692 against the textbook k1 1.2, b 0.75). Titles are short but differ
// in how much they qualify a procedure, so their length counts too.
const (
	bm25K1     = 1.0
	bm25BBody  = 0.6
	bm25BTitle = 0.75
	// titleWeight scales a document's title score before it is added to each of its chunks:
	// naming the procedure is the strongest evidence there is.
	titleWeight = 2.0
	maxRows     = 1 << 24
)

// term kinds, mixed into the hash so that an accented and a folded term never collide.
const (
	termAccented byte = iota + 1
	termFolded
	termPairAccented
	termPairFolded
)

func (ix *LexicalIndex) hash(kind byte, a, b string) uint64 {
	var h maphash.Hash
	h.SetSeed(ix.seed)
	h.WriteByte(kind)
	h.WriteString(a)
	if b != "" {
		h.WriteByte(' ')
		h.WriteString(b)
	}
	return h.Sum64()
}

// termCount is a term of a row and how often it occurs there.
type termCount struct {
	hash uint64
	n    int
}

// rowTerms returns the distinct terms of a row's text with their counts, and its length in
// words. buf is scratch space, returned for reuse.
func (ix *LexicalIndex) rowTerms(text string, buf []uint64) ([]termCount, int, []uint64) {
	words := vntext.Words(text)
	buf = buf[:0]
	prevW, prevF := "", ""
	for i, w := range words {
		f := vntext.Fold(w)
		buf = append(buf, ix.hash(termFolded, f, ""))
		if f != w {
			buf = append(buf, ix.hash(termAccented, w, ""))
		}
		if i > 0 {
			buf = append(buf, ix.hash(termPairFolded, prevF, f))
			if f != w || prevF != prevW {
				buf = append(buf, ix.hash(termPairAccented, prevW, w))
			}
		}
		prevW, prevF = w, f
	}
	slices.Sort(buf)
	var out []termCount
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j] == buf[i] {
			j++
		}
		out = append(out, termCount{buf[i], j - i})
		i = j
	}
	return out, len(words), buf
}

// postingTable maps term hashes to postings. It is split in 256 shards by the hash's top
// byte, each holding its sorted hashes and their postings end to end, so that it is built by
// sorting rather than by growing hundreds of thousands of slices in a map.
type postingTable struct {
	shards [256]postingShard
}

type postingShard struct {
	hashes  []uint64 // sorted, distinct
	offsets []uint32 // postings of hashes[i] are posts[offsets[i]:offsets[i+1]]
	posts   []uint32
}

func (t *postingTable) get(h uint64) []uint32 {
	s := &t.shards[h>>56]
	i, ok := slices.BinarySearch(s.hashes, h)
	if !ok {
		return nil
	}
	return s.posts[s.offsets[i]:s.offsets[i+1]]
}

// posting is a term hash and a packed posting, while building.
type posting struct {
	hash uint64
	post uint32
}

// tableBuilder gathers the postings of some rows, by shard.
type tableBuilder struct {
	shards [256][]posting
}

func (b *tableBuilder) add(row int, terms []termCount) {
	for _, t := range terms {
		s := t.hash >> 56
		b.shards[s] = append(b.shards[s], posting{t.hash, uint32(row)<<8 | uint32(min(t.n, 255))})
	}
}

// buildTable merges builders into a table, one shard per goroutine at a time.
func buildTable(builders []*tableBuilder, workers int) postingTable {
	var t postingTable
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				var all []posting
				for _, b := range builders {
					all = append(all, b.shards[s]...)
					b.shards[s] = nil
				}
				slices.SortFunc(all, func(x, y posting) int {
					if c := cmp.Compare(x.hash, y.hash); c != 0 {
						return c
					}
					return cmp.Compare(x.post, y.post)
				})
				sh := &t.shards[s]
				sh.posts = make([]uint32, len(all))
				for i, p := range all {
					if i == 0 || p.hash != all[i-1].hash {
						sh.hashes = append(sh.hashes, p.hash)
						sh.offsets = append(sh.offsets, uint32(i))
					}
					sh.posts[i] = p.post
				}
				sh.offsets = append(sh.offsets, uint32(len(all)))
			}
		}()
	}
	for s := range 256 {
		next <- s
	}
	close(next)
	wg.Wait()
	return t
}

// BuildLexical reads the store and builds its lexical index. Chunks are tokenised by as many
// goroutines as there are CPUs while the store streams them.
func BuildLexical(ctx context.Context, db *postgres.DB) (*LexicalIndex, error) {
	ix := &LexicalIndex{seed: maphash.MakeSeed()}
	workers := max(runtime.GOMAXPROCS(0), 1)

	type batch struct {
		first int
		texts []string
		lens  []int
	}
	jobs := make(chan *batch, workers)
	var batches []*batch
	builders := make([]*tableBuilder, workers)
	var wg sync.WaitGroup
	for w := range workers {
		builders[w] = &tableBuilder{}
		wg.Add(1)
		go func(b *tableBuilder) {
			defer wg.Done()
			var buf []uint64
			for j := range jobs {
				j.lens = make([]int, len(j.texts))
				for i, text := range j.texts {
					var terms []termCount
					terms, j.lens[i], buf = ix.rowTerms(text, buf)
					b.add(j.first+i, terms)
				}
				j.texts = nil
			}
		}(builders[w])
	}
	cur := &batch{}
	flush := func() {
		if len(cur.texts) > 0 {
			batches = append(batches, cur)
			jobs <- cur
			cur = &batch{first: len(ix.chunkIDs)}
		}
	}

	titles := &tableBuilder{}
	var docLens []int
	var buf []uint64
	gen, err := db.LexicalScan(ctx, func(d postgres.LexicalDocument) error {
		if len(ix.docs) >= maxRows {
			return fmt.Errorf("more than %d documents", maxRows)
		}
		terms, n, b := ix.rowTerms(d.Title, buf)
		buf = b
		titles.add(len(ix.docs), terms)
		docLens = append(docLens, n)
		ix.docs = append(ix.docs, lexDoc{id: d.ID, kind: d.Kind, field: d.Field, agency: d.Agency, locality: d.Locality, levels: d.Levels})
		return nil
	}, func(c postgres.LexicalChunk) error {
		if len(ix.chunkIDs) >= maxRows {
			return fmt.Errorf("more than %d chunks", maxRows)
		}
		cur.texts = append(cur.texts, c.Heading+" \n "+c.Text)
		ix.chunkIDs = append(ix.chunkIDs, c.ID)
		ix.chunkDoc = append(ix.chunkDoc, uint32(c.Document))
		if len(cur.texts) == 256 {
			flush()
		}
		return nil
	})
	flush()
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("build lexical index: %w", err)
	}
	chunkLens := make([]int, 0, len(ix.chunkIDs))
	for _, b := range batches {
		chunkLens = append(chunkLens, b.lens...)
	}
	ix.generation = gen
	ix.docNorm = lengthNorms(docLens, bm25BTitle)
	ix.chunkNorm = lengthNorms(chunkLens, bm25BBody)
	ix.docTerms = buildTable([]*tableBuilder{titles}, workers)
	ix.chunkTerms = buildTable(builders, workers)
	return ix, nil
}

func lengthNorms(lens []int, b float64) []float32 {
	if len(lens) == 0 {
		return nil
	}
	sum := 0
	for _, l := range lens {
		sum += l
	}
	avg := math.Max(float64(sum)/float64(len(lens)), 1)
	out := make([]float32, len(lens))
	for i, l := range lens {
		out[i] = float32(bm25K1 * (1 - b + b*float64(l)/avg))
	}
	return out
}

// Generation is the store generation the index was built from.
func (ix *LexicalIndex) Generation() int64 { return ix.generation }

// Len returns the number of documents and chunks indexed.
func (ix *LexicalIndex) Len() (docs, chunks int) { return len(ix.docs), len(ix.chunkIDs) }

// lexTerm is one weighted query term.
type lexTerm struct {
	kind   byte
	a, b   string
	weight float64
}

// lexScratch holds the per-query score arrays, reused through a pool.
type lexScratch struct {
	doc, chunk []float32
}

// Search returns the n best chunks for the weighted terms that pass f, best first. Scores
// are BM25: Σ weight·idf·tf·(k1+1)/(tf+norm) over the body, plus titleWeight times the same
// over the title of the chunk's document.
func (ix *LexicalIndex) search(terms []lexTerm, f thutuc.Filter, n int) []postgres.ChunkHit {
	if len(ix.chunkIDs) == 0 || len(terms) == 0 {
		return nil
	}
	sc, _ := ix.pool.Get().(*lexScratch)
	if sc == nil {
		sc = &lexScratch{doc: make([]float32, len(ix.docs)), chunk: make([]float32, len(ix.chunkIDs))}
	}
	defer func() {
		clear(sc.doc)
		clear(sc.chunk)
		ix.pool.Put(sc)
	}()
	// A term asked for twice (typed, and again in an official term) counts once, at its
	// highest weight.
	weights := map[uint64]float64{}
	for _, t := range terms {
		h := ix.hash(t.kind, t.a, t.b)
		weights[h] = max(weights[h], t.weight)
	}
	for h, w := range weights {
		accumulate(sc.doc, ix.docTerms.get(h), ix.docNorm, w*titleWeight)
		accumulate(sc.chunk, ix.chunkTerms.get(h), ix.chunkNorm, w)
	}
	keep := ix.filter(f)
	top := &hitHeap{}
	for i, s := range sc.chunk {
		d := ix.chunkDoc[i]
		s += sc.doc[d]
		if s <= 0 || (keep != nil && !keep[d]) {
			continue
		}
		if top.Len() < n {
			heap.Push(top, scored{i, s})
		} else if s > (*top)[0].score {
			(*top)[0] = scored{i, s}
			heap.Fix(top, 0)
		}
	}
	out := make([]postgres.ChunkHit, top.Len())
	for i := len(out) - 1; i >= 0; i-- {
		c := heap.Pop(top).(scored)
		d := ix.docs[ix.chunkDoc[c.row]]
		out[i] = postgres.ChunkHit{ChunkID: ix.chunkIDs[c.row], DocumentID: d.id, Levels: d.levels, Score: float64(c.score)}
	}
	return out
}

// accumulate adds the BM25 contribution of one term's postings to scores.
func accumulate(scores []float32, postings []uint32, norms []float32, weight float64) {
	if len(postings) == 0 || weight == 0 {
		return
	}
	n, df := float64(len(scores)), float64(len(postings))
	w := float32(weight * math.Log(1+(n-df+0.5)/(df+0.5)) * (bm25K1 + 1))
	for _, p := range postings {
		row, tf := p>>8, float32(p&0xff)
		scores[row] += w * tf / (tf + norms[row])
	}
}

// filter returns which documents pass f, or nil when f keeps them all.
func (ix *LexicalIndex) filter(f thutuc.Filter) []bool {
	level := postgres.LevelKey(f.Level)
	if f.Kind == "" && level == "" && f.Field == "" && f.Agency == "" && f.Locality == "" {
		return nil
	}
	keep := make([]bool, len(ix.docs))
	for i, d := range ix.docs {
		keep[i] = (f.Kind == "" || d.kind == f.Kind) && (level == "" || contains(d.levels, level)) &&
			(f.Field == "" || d.field == f.Field) && (f.Agency == "" || d.agency == f.Agency) &&
			(f.Locality == "" || d.locality == f.Locality || d.locality == "")
	}
	return keep
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type scored struct {
	row   int
	score float32
}

// hitHeap is a min-heap on score: the root is the weakest of the best n so far. Equal scores
// keep the lower row (earlier document and chunk) for stable results.
type hitHeap []scored

func (h hitHeap) Len() int { return len(h) }
func (h hitHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].row > h[j].row
}
func (h hitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
