package chat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
)

// The bundled corpus is ingested once per test binary into a schema of its own, shared by the
// tests that only read it (their conversations have ids of their own). pgtest.MustOpen ties a
// schema to one test, so the shared one is made here and dropped after all tests.
var shared struct {
	once     sync.Once
	err      error
	db       *postgres.DB
	searcher *retrieval.Searcher
	drop     func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.drop != nil {
		shared.drop()
	}
	os.Exit(code)
}

// corpusStore returns the shared store with the bundled corpus.
func corpusStore(t testing.TB) (*postgres.DB, *retrieval.Searcher) {
	t.Helper()
	shared.once.Do(func() {
		shared.db, shared.drop, shared.err = openSchema(context.Background())
		if shared.err != nil {
			return
		}
		shared.searcher, shared.err = ingestInto(context.Background(), shared.db, "../corpus/procedures", "../corpus/regulations")
	})
	if shared.err != nil {
		t.Fatalf("shared corpus store: %v", shared.err)
	}
	return shared.db, shared.searcher
}

// freshStore returns a store of the test's own holding only the given sheets.
func freshStore(t testing.TB, paths ...string) (*postgres.DB, *retrieval.Searcher) {
	t.Helper()
	db := pgtest.MustOpen(t)
	s, err := ingestInto(context.Background(), db, paths...)
	if err != nil {
		t.Fatal(err)
	}
	return db, s
}

func ingestInto(ctx context.Context, db *postgres.DB, paths ...string) (*retrieval.Searcher, error) {
	emb, err := ingesttest.LoadEmbedder()
	if err != nil {
		return nil, err
	}
	if _, err := (&ingest.Runner{DB: db, Embedder: emb, Logger: quietLogger()}).Ingest(ctx, paths, ingest.Options{}); err != nil {
		return nil, fmt.Errorf("ingest %v: %w", paths, err)
	}
	return newSearcher(db, emb)
}

// newSearcher is a searcher over db with the committed lexicon.
func newSearcher(db *postgres.DB, emb embedding.Embedder) (*retrieval.Searcher, error) {
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		return nil, err
	}
	return retrieval.NewSearcher(db, emb, lex, quietLogger()), nil
}

// openSchema makes a migrated store in a new schema and returns the function dropping it.
func openSchema(ctx context.Context) (*postgres.DB, func(), error) {
	base := pgtest.URL()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to %s (run `make db` or set DATABASE_URL): %w", base, err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_chat_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "create schema "+schema); err != nil {
		return nil, nil, err
	}
	drop := func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "drop schema "+schema+" cascade")
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return nil, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String(), postgres.Options{MaxConns: 8, Logger: quietLogger()})
	if err == nil {
		err = db.Migrate(ctx)
	}
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testLogger logs to the test's output when -v is set, so that fallbacks can be checked.
func testLogger(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return quietLogger()
	}
	level := slog.LevelWarn
	if os.Getenv("CHAT_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: level}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// corpusService is a Service over the shared corpus store.
func corpusService(t testing.TB, gen Generator) *Service {
	db, s := corpusStore(t)
	return New(Config{Searcher: s, DB: db, Generator: gen, Logger: testLogger(t)})
}
