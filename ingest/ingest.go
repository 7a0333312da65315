package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/postgres"
)

// parserVersion is part of every content hash: bump it when parsing or chunking changes so that
// unchanged files are ingested again.
const parserVersion = "sheet-v2"

// Formats of input files.
const (
	FormatMarkdown = "markdown"  // *.md sheets (files or folders)
	FormatDVC      = "dvc-jsonl" // the national catalog export
	FormatLaws     = "laws-json" // laws article by article
)

// Runner ingests sources into the store.
type Runner struct {
	DB       *postgres.DB
	Embedder embedding.Embedder
	Logger   *slog.Logger
	Workers  int          // parallel parse/embed/write workers (default: number of CPUs)
	Chunking ChunkOptions // chunk sizes
	AsOf     string       // as-of date given to catalog and law records (default 2025-07-01)
	// Importers convert other formats into sheets, by format name (see Importers()).
	Importers map[string]Importer
}

// Importer converts one input file into sheets, calling emit for each and problem for each
// record it cannot convert; it returns its own statistics (parse coverage).
type Importer func(r io.Reader, file, asOf string, emit func(name string, sheet []byte) error, problem func(name string, err error)) (stats any, err error)

// Options of one ingestion run.
type Options struct {
	Format string // FormatMarkdown (default), FormatDVC or FormatLaws
	Prune  bool   // delete stored documents from these paths whose files or records are gone
	// Force lets a source replace a document of its id stored from another path.
	Force bool
}

// FileError is one source (file, or record inside a file) that could not be ingested.
type FileError struct {
	Path string `json:"path"`
	Err  string `json:"error"`
}

// Stats report what a run did.
type Stats struct {
	Sources   int           `json:"sources"`   // files or records read
	Written   int           `json:"written"`   // documents stored (new or changed)
	Unchanged int           `json:"unchanged"` // documents whose content hash matched
	Deleted   int           `json:"deleted"`   // documents pruned
	Chunks    int           `json:"chunks"`    // chunks written
	Failed    []FileError   `json:"failed"`    // sources skipped with their error
	Duration  time.Duration `json:"duration_ns"`
	Extra     any           `json:"extra,omitempty"` // importer statistics (parse coverage)
}

// ErrSomeFailed is returned (wrapped) when a run finished but some sources failed.
var ErrSomeFailed = errors.New("some sources could not be ingested")

// source is one sheet to ingest: where it came from and its Markdown.
type source struct {
	path string
	data []byte
}

// Ingest ingests every path (a file or a folder of .md files; for the catalog and laws formats,
// a file) and reports what it did. A source that fails is reported in Stats.Failed and skipped;
// the rest is ingested and the error wraps ErrSomeFailed.
func (r *Runner) Ingest(ctx context.Context, paths []string, opts Options) (Stats, error) {
	start := time.Now()
	var st Stats
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
	if r.AsOf == "" {
		r.AsOf = "2025-07-01"
	}
	dim, err := embedding.Dim(ctx, r.Embedder)
	if err != nil {
		return st, err
	}
	// One writer at a time: a second ingest waits for the first (two would replace the same
	// documents under each other).
	release, err := r.DB.LockWriters(ctx, func() {
		r.Logger.Warn("another ingest is writing to this store: waiting for it to finish")
	})
	if err != nil {
		return st, err
	}
	defer release()
	if err := r.DB.EnsureEmbedder(ctx, postgres.EmbedderInfo{Name: r.Embedder.Name(), Dim: dim}); err != nil {
		return st, err
	}
	if err := r.DB.RestoreVectorIndex(ctx); err != nil {
		return st, err
	}

	// A catalog import into an empty store writes tens of thousands of chunks: building the
	// HNSW index once at the end is much faster than maintaining it row by row (the catalog:
	// 15 s instead of 36 s on 2 cores). A store that already holds documents may be serving:
	// its index stays, so that searches during the import keep it.
	bulk := false
	if opts.Format != "" && opts.Format != FormatMarkdown {
		n, err := r.DB.ChunkCount(ctx)
		if err != nil {
			return st, err
		}
		bulk = n == 0
	}
	w := &writer{r: r, st: &st, seen: map[string]string{}, bulk: bulk, force: opts.Force}
	defer func() {
		// A run that failed half-way must not leave the store without its index.
		if w.indexDropped {
			if err := r.DB.CreateVectorIndex(context.WithoutCancel(ctx)); err != nil {
				r.Logger.Error("rebuild vector index", "err", err)
			}
		}
	}()
	for _, p := range paths {
		p = filepath.Clean(p)
		states, err := r.DB.DocumentStates(ctx, p)
		if err != nil {
			return st, err
		}
		w.states = states
		if err := w.run(ctx, p, opts.Format); err != nil {
			return st, err
		}
		if opts.Prune {
			var gone []string
			for id := range states {
				if _, ok := w.seen[id]; !ok {
					gone = append(gone, id)
				}
			}
			sort.Strings(gone)
			n, err := r.DB.DeleteDocuments(ctx, gone)
			if err != nil {
				return st, err
			}
			st.Deleted += int(n)
			if n > 0 {
				r.Logger.Info("pruned documents", "path", p, "ids", gone)
			}
		}
	}
	if w.indexDropped {
		w.indexDropped = false
		r.Logger.Info("building vector index")
		if err := r.DB.CreateVectorIndex(ctx); err != nil {
			return st, err
		}
	}
	if st.Written > 0 || st.Deleted > 0 {
		// Fresh statistics: the planner's, and the word frequencies the search relies on.
		if err := r.DB.Analyze(ctx); err != nil {
			return st, err
		}
	}
	st.Duration = time.Since(start)
	sort.Slice(st.Failed, func(i, j int) bool { return st.Failed[i].Path < st.Failed[j].Path })
	if len(st.Failed) > 0 {
		return st, fmt.Errorf("ingest: %d of %d sources failed: %w", len(st.Failed), st.Sources, ErrSomeFailed)
	}
	return st, nil
}

// writer runs one path's sources through parse → chunk → embed → store with a pool of workers.
type writer struct {
	r            *Runner
	st           *Stats
	mu           sync.Mutex
	states       map[string]postgres.DocumentState
	seen         map[string]string // id → source path, across the whole run
	bulk         bool
	force        bool
	dropOnce     sync.Once
	dropErr      error
	indexDropped bool
}

func (w *writer) run(ctx context.Context, path, format string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers := w.r.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	ch := make(chan source)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range ch {
				if err := w.one(ctx, s); err != nil {
					cancel(err) // a store failure stops the run; bad sheets do not
				}
			}
		}()
	}
	emit := func(name string, data []byte) error {
		select {
		case ch <- source{name, data}:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	problem := func(name string, err error) {
		w.fail(name, err)
	}
	var readErr error
	switch format {
	case "", FormatMarkdown:
		readErr = readMarkdown(path, emit, problem)
	default:
		imp, ok := w.r.Importers[format]
		if !ok {
			readErr = thutuc.Errorf(thutuc.EINVALID, "unknown format %q (want markdown, dvc-jsonl or laws-json)", format)
			break
		}
		readErr = w.readFile(path, func(f *os.File) error {
			stats, err := imp(f, path, w.r.AsOf, emit, problem)
			w.st.Extra = stats
			return err
		})
	}
	close(ch)
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("ingest %s: %w", path, readErr)
	}
	return ctx.Err()
}

func (w *writer) readFile(path string, fn func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return fn(f)
}

// readMarkdown emits every .md file under path (or path itself), in name order. README.md files
// describe folders and are not sheets.
func readMarkdown(path string, emit func(string, []byte) error, problem func(string, error)) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	var files []string
	if !info.IsDir() {
		files = []string{path}
	} else {
		err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				problem(p, err)
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.EqualFold(d.Name(), "README.md") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			problem(f, err)
			continue
		}
		if err := emit(f, data); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) fail(path string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.st.Sources++
	w.st.Failed = append(w.st.Failed, FileError{Path: path, Err: err.Error()})
	w.r.Logger.Warn("source skipped", "path", path, "err", err)
}

// one ingests one source. Bad input is recorded and skipped (nil is returned); only store and
// embedder failures are returned, since they would fail every other source too.
func (w *writer) one(ctx context.Context, s source) error {
	sh, err := ParseSheet(s.path, s.data)
	if err != nil {
		w.fail(s.path, err)
		return nil
	}
	sum := sha256.Sum256(append([]byte(parserVersion+"\x00"), s.data...))
	hash := hex.EncodeToString(sum[:])

	w.mu.Lock()
	state, known := w.states[sh.Meta.ID]
	w.mu.Unlock()
	if !known {
		// Stored from another path, or not stored at all.
		st, err := w.r.DB.DocumentHash(ctx, sh.Meta.ID)
		if err == nil {
			state, known = st, true
		} else if thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
			return err
		}
	}
	// A document stored from one path is not replaced by another source with its id (a copy
	// that reuses it, wherever it sorts) unless the run forces it. The same text from a new
	// path is a moved file: only its path is updated.
	if known && state.SourcePath != s.path && state.ContentHash != hash && !w.force {
		w.fail(s.path, fmt.Errorf("id %q is already stored from %s: not replaced by this file (remove one of the two, or ingest with --force to replace it)",
			sh.Meta.ID, state.SourcePath))
		return nil
	}
	w.mu.Lock()
	if other, dup := w.seen[sh.Meta.ID]; dup {
		w.mu.Unlock()
		w.fail(s.path, fmt.Errorf("id %q is already used by %s in this run: %s is kept, this file is skipped", sh.Meta.ID, other, other))
		return nil
	}
	w.st.Sources++
	w.seen[sh.Meta.ID] = s.path
	w.mu.Unlock()

	if known && state.ContentHash == hash {
		w.mu.Lock()
		w.st.Unchanged++
		w.mu.Unlock()
		if state.SourcePath != s.path {
			return w.r.DB.TouchSourcePath(ctx, sh.Meta.ID, s.path)
		}
		return nil
	}

	if w.bulk {
		w.dropOnce.Do(func() {
			w.dropErr = w.r.DB.DropVectorIndex(ctx)
			w.indexDropped = w.dropErr == nil
		})
		if w.dropErr != nil {
			return w.dropErr
		}
	}
	doc := Document(sh, s.path, hash)
	chunks := Chunks(sh, w.r.Chunking)
	indexed, err := w.index(ctx, chunks)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", s.path, err)
	}
	if doc.Embedding, err = embedding.DocumentVector(ctx, w.r.Embedder, doc.Code, DocumentCard(doc)); err != nil {
		return fmt.Errorf("ingest %s: %w", s.path, err)
	}
	if err := w.r.DB.ReplaceDocument(ctx, doc, indexed); err != nil {
		return fmt.Errorf("ingest %s: %w", s.path, err)
	}
	w.mu.Lock()
	w.st.Written++
	w.st.Chunks += len(chunks)
	w.mu.Unlock()
	return nil
}

// index embeds chunks.
func (w *writer) index(ctx context.Context, chunks []thutuc.Chunk) ([]thutuc.Chunk, error) {
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = EmbeddingText(c)
	}
	vecs, err := w.r.Embedder.EmbedDocuments(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if len(vecs) != len(chunks) {
		return nil, fmt.Errorf("embed: got %d vectors for %d chunks", len(vecs), len(chunks))
	}
	for i := range chunks {
		chunks[i].Embedding = vecs[i]
	}
	return chunks, nil
}

// DocumentCard is the text that stands for a whole document when it is embedded: its title
// and the names people use for it.
func DocumentCard(d *thutuc.Document) string {
	return strings.Join(append([]string{d.Title}, d.Aliases...), "\n")
}

// Document builds the stored document of a parsed sheet.
func Document(sh *Sheet, path, hash string) *thutuc.Document {
	m := sh.Meta
	return &thutuc.Document{
		ID: m.ID, Kind: m.Kind, Code: strings.TrimSpace(m.Code), Title: m.Title, Aliases: m.Aliases,
		Field: m.Field, Level: m.Level, Agency: m.Agency, Locality: m.Locality, Metadata: m.Metadata,
		SourceURL: m.SourceURL, AsOf: m.AsOf, SourcePath: path, ContentHash: hash, Body: sh.Body,
	}
}
