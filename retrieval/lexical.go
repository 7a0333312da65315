package retrieval

import (
	"container/heap"
	"context"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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
// index (24 bits) and a term frequency (8 bits) into 32 bits: the catalog's 42k chunks take
// about 45 MB of heap.
type LexicalIndex struct {
	generation int64
	seed       maphash.Seed

	terms    map[uint64]uint32 // term hash → term id
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
	id, kind, field, locality string
	agency                    string // its postgres.AgencyKey, so that any spelling matches
	levels                    []string
}

// BM25 parameters, chosen on both question sets (`thutuc eval --modes text`: hit@1 on the
// catalog set rose from 0.657 to 0.692 against the textbook k1 1.2, b 0.75). Titles are short but differ
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

// vocabulary numbers term hashes as they are first seen. Tokenising goroutines share it;
// its lock is split by the hash's top byte so that they rarely wait for each other.
type vocabulary struct {
	next   atomic.Uint32
	shards [256]struct {
		sync.Mutex
		ids map[uint64]uint32
	}
}

func (v *vocabulary) id(h uint64) uint32 {
	sh := &v.shards[h>>56]
	sh.Lock()
	defer sh.Unlock()
	id, ok := sh.ids[h]
	if !ok {
		if sh.ids == nil {
			sh.ids = map[uint64]uint32{}
		}
		id = v.next.Add(1) - 1
		sh.ids[h] = id
	}
	return id
}

// termRows are the distinct terms of consecutive rows with their counts, end to end.
type termRows struct {
	first int      // row index of the first row
	ids   []uint32 // each row's distinct term ids, row after row
	tfs   []uint8  // how often each occurs in its row (at most 255)
	ends  []int32  // ends[i] is where row first+i ends in ids
	lens  []int    // each row's length in words
	buf   []uint64 // scratch
}

// add appends the terms of one row's text.
func (tr *termRows) add(ix *LexicalIndex, v *vocabulary, text string) {
	words := vntext.Words(text)
	buf := tr.buf[:0]
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
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j] == buf[i] {
			j++
		}
		tr.ids = append(tr.ids, v.id(buf[i]))
		tr.tfs = append(tr.tfs, uint8(min(j-i, 255)))
		i = j
	}
	tr.ends = append(tr.ends, int32(len(tr.ids)))
	tr.lens = append(tr.lens, len(words))
	tr.buf = buf
}

// postingTable holds the postings of every term id end to end: those of term i are
// posts[offsets[i]:offsets[i+1]], in row order. Built by counting, with no sort and no
// per-term slices (the catalog has 9M body postings over 240k terms).
type postingTable struct {
	offsets []uint32
	posts   []uint32
}

func (t *postingTable) get(id uint32) []uint32 {
	if int(id)+1 >= len(t.offsets) {
		return nil
	}
	return t.posts[t.offsets[id]:t.offsets[id+1]]
}

// buildTable lays out the postings of parts (in row order) for terms numbered below n.
func buildTable(parts []*termRows, n int) postingTable {
	t := postingTable{offsets: make([]uint32, n+1)}
	for _, p := range parts {
		for _, id := range p.ids {
			t.offsets[id+1]++
		}
	}
	for i := 1; i <= n; i++ {
		t.offsets[i] += t.offsets[i-1]
	}
	t.posts = make([]uint32, t.offsets[n])
	cursor := slices.Clone(t.offsets[:n])
	for _, p := range parts {
		start := 0
		for i, end := range p.ends {
			row := uint32(p.first+i) << 8
			for j := start; j < int(end); j++ {
				id := p.ids[j]
				t.posts[cursor[id]] = row | uint32(p.tfs[j])
				cursor[id]++
			}
			start = int(end)
		}
	}
	return t
}

// BuildLexical reads the store and builds its lexical index. Chunks are tokenised by as many
// goroutines as there are CPUs while the store streams them.
func BuildLexical(ctx context.Context, db *postgres.DB) (*LexicalIndex, error) {
	ix := &LexicalIndex{seed: maphash.MakeSeed()}
	workers := max(runtime.GOMAXPROCS(0), 1)

	type batch struct {
		texts []string
		rows  *termRows
	}
	voc := &vocabulary{}
	jobs := make(chan batch, workers)
	var parts []*termRows
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				for _, text := range j.texts {
					j.rows.add(ix, voc, text)
				}
				j.rows.buf = nil
			}
		}()
	}
	var texts []string
	flush := func() {
		if len(texts) > 0 {
			tr := &termRows{first: len(ix.chunkIDs) - len(texts)}
			parts = append(parts, tr)
			jobs <- batch{texts, tr}
			texts = nil
		}
	}

	titles := &termRows{}
	gen, err := db.LexicalScan(ctx, func(d postgres.LexicalDocument) error {
		if len(ix.docs) >= maxRows {
			return fmt.Errorf("more than %d documents", maxRows)
		}
		titles.add(ix, voc, d.Title)
		ix.docs = append(ix.docs, lexDoc{id: d.ID, kind: d.Kind, field: d.Field, agency: postgres.AgencyKey(d.Agency), locality: d.Locality, levels: d.Levels})
		return nil
	}, func(c postgres.LexicalChunk) error {
		if len(ix.chunkIDs) >= maxRows {
			return fmt.Errorf("more than %d chunks", maxRows)
		}
		texts = append(texts, c.Heading+" \n "+c.Text)
		ix.chunkIDs = append(ix.chunkIDs, c.ID)
		ix.chunkDoc = append(ix.chunkDoc, uint32(c.Document))
		if len(texts) == 256 {
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
	for _, p := range parts {
		chunkLens = append(chunkLens, p.lens...)
	}
	ix.generation = gen
	ix.docNorm = lengthNorms(titles.lens, bm25BTitle)
	ix.chunkNorm = lengthNorms(chunkLens, bm25BBody)
	n := int(voc.next.Load())
	ix.terms = make(map[uint64]uint32, n)
	for i := range voc.shards {
		maps.Copy(ix.terms, voc.shards[i].ids)
	}
	ix.docTerms = buildTable([]*termRows{titles}, n)
	ix.chunkTerms = buildTable(parts, n)
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

// search returns the n best chunks for the weighted terms that pass f, best first. Scores
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
	// highest weight. Terms are summed in query order so that equal queries score equally.
	var ids []uint32
	weights := map[uint32]float64{}
	for _, t := range terms {
		id, ok := ix.terms[ix.hash(t.kind, t.a, t.b)]
		if !ok {
			continue
		}
		if _, seen := weights[id]; !seen {
			ids = append(ids, id)
		}
		weights[id] = max(weights[id], t.weight)
	}
	for _, id := range ids {
		accumulate(sc.doc, ix.docTerms.get(id), ix.docNorm, weights[id]*titleWeight)
		accumulate(sc.chunk, ix.chunkTerms.get(id), ix.chunkNorm, weights[id])
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
	level, agency := postgres.LevelKey(f.Level), postgres.AgencyKey(f.Agency)
	if f.Kind == "" && level == "" && f.Field == "" && agency == "" && f.Locality == "" {
		return nil
	}
	keep := make([]bool, len(ix.docs))
	for i, d := range ix.docs {
		keep[i] = (f.Kind == "" || d.kind == f.Kind) && (level == "" || slices.Contains(d.levels, level)) &&
			(f.Field == "" || d.field == f.Field) && (agency == "" || d.agency == agency) &&
			(f.Locality == "" || d.locality == f.Locality || d.locality == "")
	}
	return keep
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
