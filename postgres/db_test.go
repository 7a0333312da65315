package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

func TestMigrateIsIdempotentAndReady(t *testing.T) {
	db, _ := pgtest.MustOpenURL(t)
	ctx := context.Background()
	if err := db.Ready(ctx); thutuc.ErrorCode(err) != thutuc.EUNAVAILABLE {
		t.Fatalf("Ready before migrate = %v, want unavailable", err)
	}
	for i := 0; i < 2; i++ {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready after migrate: %v", err)
	}
}

func TestEmbedderRegistration(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	if _, ok, err := db.Embedder(ctx); err != nil || ok {
		t.Fatalf("Embedder on a fresh store = %v, %v", ok, err)
	}
	a := postgres.EmbedderInfo{Name: "builtin-hash-v1", Dim: 8}
	if err := db.EnsureEmbedder(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureEmbedder(ctx, a); err != nil {
		t.Fatalf("same embedder again: %v", err)
	}
	err := db.EnsureEmbedder(ctx, postgres.EmbedderInfo{Name: "openai:x", Dim: 1536})
	if thutuc.ErrorCode(err) != thutuc.ECONFLICT {
		t.Fatalf("other embedder: err = %v, want conflict", err)
	}
	if err := db.ResetEmbedder(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureEmbedder(ctx, postgres.EmbedderInfo{Name: "openai:x", Dim: 4}); err != nil {
		t.Fatalf("after reset: %v", err)
	}
}

func TestUnavailableDatabaseIsReported(t *testing.T) {
	ctx := context.Background()
	// Nothing listens on port 1.
	db, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Ping(ctx)
	if thutuc.ErrorCode(err) != thutuc.EUNAVAILABLE {
		t.Fatalf("Ping = %v, want unavailable", err)
	}
	var e *thutuc.Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("want a user-facing message, got %v", err)
	}
}

func TestLevelKeys(t *testing.T) {
	tests := map[string][]string{
		"Cấp tỉnh, Cấp xã":         {"tinh", "xa"},
		"Cấp bộ, Cấp tỉnh, Cấp xã": {"bo", "tinh", "xa"},
		"Cấp xã, Cơ quan khác":     {"xa", "co-quan-khac"},
		"":                         nil,
		"cap xa":                   {"xa"},
	}
	for in, want := range tests {
		got := postgres.LevelKeys(in)
		if len(got) != len(want) {
			t.Errorf("LevelKeys(%q) = %v, want %v", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("LevelKeys(%q) = %v, want %v", in, got, want)
			}
		}
	}
}

func TestGenerationCountsCommittedChanges(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	if err := db.EnsureEmbedder(ctx, postgres.EmbedderInfo{Name: "test", Dim: 3}); err != nil {
		t.Fatal(err)
	}
	gen := func() int64 {
		t.Helper()
		g, err := db.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g0 := gen()
	doc := &thutuc.Document{ID: "a", Kind: thutuc.KindProcedure, Title: "A", SourceURL: "https://example.gov.vn/a", ContentHash: "h"}
	chunks := []thutuc.Chunk{{Section: thutuc.SectionOverview, Text: "a", Embedding: []float32{1, 0, 0}}}
	if err := db.ReplaceDocument(ctx, doc, chunks); err != nil {
		t.Fatal(err)
	}
	g1 := gen()
	if g1 <= g0 {
		t.Fatalf("generation %d after a write, was %d", g1, g0)
	}
	if g := gen(); g != g1 {
		t.Fatalf("generation moved without a change: %d → %d", g1, g)
	}
	if _, err := db.DeleteDocuments(ctx, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if g := gen(); g <= g1 {
		t.Fatalf("generation %d after a delete, was %d", g, g1)
	}
}
