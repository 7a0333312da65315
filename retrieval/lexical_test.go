package retrieval_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
)

// newSheet writes a procedure sheet about a made-up word into a new folder.
func newSheet(t *testing.T, id, word string) string {
	t.Helper()
	dir := t.TempDir()
	sheet := "---\nid: " + id + "\ncode: \"9.000001\"\ntitle: Cấp giấy " + word + "\nkind: procedure\nlevel: Cấp xã\n" +
		"source_url: https://example.gov.vn/" + id + "\nas_of: 2025-07-01\n---\n# Cấp giấy " + word + "\n\nGiới thiệu.\n\n" +
		"## Phí, lệ phí\n- **Trực tiếp**: 10.000 đồng.\n"
	if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func firstText(t *testing.T, s *retrieval.Searcher, q string) string {
	t.Helper()
	resp, err := s.Search(context.Background(), retrieval.Query{Text: q, Mode: retrieval.ModeText})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) == 0 {
		return ""
	}
	return resp.Results[0].DocumentID
}

// The lexical index follows the store: a search after an ingest or a deletion sees it.
func TestLexicalFollowsStore(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	ctx := context.Background()
	if got := firstText(t, s, "giấy xylophon"); got == "xylophon" {
		t.Fatalf("found a document not yet ingested")
	}
	r := &ingest.Runner{DB: db, Embedder: s.Embedder}
	if _, err := r.Ingest(ctx, []string{newSheet(t, "xylophon", "xylophon")}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := firstText(t, s, "giay xylophon"); got != "xylophon" {
		t.Fatalf("after ingest: first result %q, want xylophon", got)
	}
	if _, err := db.DeleteDocuments(ctx, []string{"xylophon"}); err != nil {
		t.Fatal(err)
	}
	if got := firstText(t, s, "giay xylophon"); got == "xylophon" {
		t.Fatalf("after delete: still found")
	}
}

// When a build is slow (here: never waited for), searches keep the previous index while the
// new one builds, and see the change once it is ready.
func TestLexicalStaleWhileRebuilding(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	s.LexicalWait = -1
	ctx := context.Background()
	firstText(t, s, "hộ chiếu") // builds the first index, which is always waited for
	r := &ingest.Runner{DB: db, Embedder: s.Embedder}
	if _, err := r.Ingest(ctx, []string{newSheet(t, "marimba", "marimba")}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for firstText(t, s, "giay marimba") != "marimba" {
		if time.Now().After(deadline) {
			t.Fatal("the rebuilt index never answered")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// While a writer holds the store, searches keep the index they have instead of copying the
// store after each of its commits; the first search after the writer is done rebuilds it.
func TestLexicalWaitsForWriter(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	var log bytes.Buffer
	s.Logger = slog.New(slog.NewTextHandler(&log, nil))
	builds := func() int { return strings.Count(log.String(), "lexical index built") }
	ctx := context.Background()
	if got := firstText(t, s, "hộ chiếu"); got == "" {
		t.Fatal("no result")
	}
	if builds() != 1 {
		t.Fatalf("%d builds, want 1:\n%s", builds(), log.String())
	}
	release, err := db.LockWriters(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for _, id := range []string{"cap-ho-chieu-pho-thong", "dang-ky-khai-sinh"} {
		if _, err := db.DeleteDocuments(ctx, []string{id}); err != nil {
			t.Fatal(err)
		}
		firstText(t, s, "giay khai sinh")
		firstText(t, s, "ho chieu")
	}
	if builds() != 1 {
		t.Errorf("while the writer works: %d builds, want none after the first", builds()-1)
	}
	release()
	if got := firstText(t, s, "hộ chiếu"); got == "cap-ho-chieu-pho-thong" {
		t.Errorf("after the writer: still found the deleted document")
	}
	if builds() != 2 {
		t.Errorf("after the writer: %d builds, want 2", builds())
	}
}
