package retrieval

import (
	"context"
	"sync"
	"time"
)

// lexicalState keeps a Searcher's lexical index in step with the store.
type lexicalState struct {
	mu       sync.Mutex
	index    *LexicalIndex
	building chan struct{} // closed when the running build ends; nil when none runs
	err      error         // of the last build
	took     time.Duration // of the last successful build
}

// defaultLexicalWait is the build time up to which a search waits for a fresh index. Above it
// (the whole catalog takes a few seconds) the stale index keeps answering while the new one
// builds, so that ingesting into a live service never stalls its searches.
const defaultLexicalWait = 500 * time.Millisecond

// buildTimeout bounds one build, which runs detached from the request that started it.
const buildTimeout = 5 * time.Minute

// lexical returns an index at least as new as the store's current generation, building one
// if needed; concurrent searches share one build.
func (s *Searcher) lexical(ctx context.Context) (*LexicalIndex, error) {
	gen, err := s.DB.Generation(ctx)
	if err != nil {
		return nil, err
	}
	st := &s.lex
	// While an ingest writes, every batch it commits is a new generation: copying the store
	// after each would rebuild the index dozens of times during one catalog import. The index
	// already built keeps answering until the writer is done; the first search after that
	// rebuilds it.
	st.mu.Lock()
	stale := st.index != nil && st.index.generation < gen
	st.mu.Unlock()
	if stale {
		busy, err := s.DB.Writing(ctx)
		if err != nil {
			return nil, err
		}
		if busy {
			st.mu.Lock()
			defer st.mu.Unlock()
			return st.index, nil
		}
	}
	for attempt := 0; ; attempt++ {
		st.mu.Lock()
		cur := st.index
		if cur != nil && cur.generation >= gen {
			st.mu.Unlock()
			return cur, nil
		}
		if attempt > 0 && st.err != nil {
			err := st.err
			st.mu.Unlock()
			return nil, err
		}
		if st.building == nil {
			st.building = make(chan struct{})
			go s.buildLexical(context.WithoutCancel(ctx), st.building)
		}
		wait := s.LexicalWait
		if wait == 0 {
			wait = defaultLexicalWait
		}
		done, stale := st.building, cur != nil && (wait < 0 || st.took > wait)
		st.mu.Unlock()
		if stale {
			return cur, nil
		}
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Warm builds the lexical index ahead of the first search, so that no search waits for it.
func (s *Searcher) Warm(ctx context.Context) error {
	_, err := s.lexical(ctx)
	return err
}

func (s *Searcher) buildLexical(ctx context.Context, done chan struct{}) {
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	start := time.Now()
	ix, err := BuildLexical(ctx, s.DB)
	took := time.Since(start)
	if s.OnLexicalBuild != nil {
		s.OnLexicalBuild(took, err)
	}
	st := &s.lex
	st.mu.Lock()
	defer st.mu.Unlock()
	st.err = err
	if err == nil && (st.index == nil || ix.generation >= st.index.generation) {
		st.index, st.took = ix, took
	}
	st.building = nil
	close(done)
	if s.Logger != nil {
		if err != nil {
			s.Logger.Warn("lexical index", "err", err)
		} else {
			docs, chunks := ix.Len()
			s.Logger.Info("lexical index built", "generation", ix.generation, "documents", docs, "chunks", chunks, "took", took.Round(time.Millisecond))
		}
	}
}
