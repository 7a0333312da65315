// Package ingesttest loads the bundled corpus into a test store.
package ingesttest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

// Root returns the repository root (the folder holding go.mod), from the test's directory.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// LoadEmbedder returns the default built-in embedder: the committed trained model.
func LoadEmbedder() (*embedding.Trained, error) {
	data, err := corpus.Model()
	if err == nil && data == nil {
		err = errors.New("no trained model in corpus/model: run `make model`")
	}
	if err != nil {
		return nil, err
	}
	return embedding.LoadTrained(data)
}

// Embedder is LoadEmbedder for tests.
func Embedder(tb testing.TB) embedding.Embedder {
	tb.Helper()
	m, err := LoadEmbedder()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// MustIngestCorpus ingests corpus/procedures and corpus/regulations with the default built-in
// embedder and returns a searcher over them, configured as `thutuc serve` configures it.
func MustIngestCorpus(tb testing.TB, db *postgres.DB) *retrieval.Searcher {
	tb.Helper()
	root := Root(tb)
	emb := Embedder(tb)
	r := &ingest.Runner{DB: db, Embedder: emb}
	paths := []string{filepath.Join(root, "corpus", "procedures"), filepath.Join(root, "corpus", "regulations")}
	if _, err := r.Ingest(context.Background(), paths, ingest.Options{}); err != nil {
		tb.Fatalf("ingest corpus: %v", err)
	}
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		tb.Fatal(err)
	}
	return retrieval.NewSearcher(db, emb, lex, nil)
}
