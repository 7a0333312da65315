package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

func sheet(id, title, fee string) string {
	return "---\nid: " + id + "\ncode: \"9." + id + "\"\ntitle: " + title + "\nkind: procedure\nlevel: Cấp xã\n" +
		"source_url: https://example.gov.vn/" + id + "\nas_of: 2025-07-01\n---\n# " + title + "\n\nGiới thiệu.\n\n" +
		"## Phí, lệ phí\n- **Trực tiếp**: " + fee + ".\n"
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIngestIdempotentChangePrune(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64)}
	dir := t.TempDir()
	write(t, dir, "a.md", sheet("aaa", "Thủ tục A", "10.000 đồng"))
	write(t, dir, "b.md", sheet("bbb", "Thủ tục B", "20.000 đồng"))

	steps := []struct {
		name                        string
		change                      func()
		prune                       bool
		written, unchanged, deleted int
	}{
		{"first run writes all", func() {}, false, 2, 0, 0},
		{"second run writes nothing", func() {}, false, 0, 2, 0},
		{"a changed file is replaced", func() { write(t, dir, "a.md", sheet("aaa", "Thủ tục A", "15.000 đồng")) }, false, 1, 1, 0},
		{"without --prune a removed file stays", func() { os.Remove(filepath.Join(dir, "b.md")) }, false, 0, 1, 0},
		{"--prune deletes it", func() {}, true, 0, 1, 1},
	}
	for _, s := range steps {
		s.change()
		st, err := r.Ingest(ctx, []string{dir}, ingest.Options{Prune: s.prune})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if st.Written != s.written || st.Unchanged != s.unchanged || st.Deleted != s.deleted {
			t.Errorf("%s: written %d unchanged %d deleted %d, want %d %d %d", s.name, st.Written, st.Unchanged, st.Deleted, s.written, s.unchanged, s.deleted)
		}
	}
	doc, err := db.Document(ctx, "aaa")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Body, "15.000 đồng") || len(doc.Chunks) != 2 || doc.AsOf != "2025-07-01" {
		t.Errorf("stored document: body %q, %d chunks, as_of %q", doc.Body, len(doc.Chunks), doc.AsOf)
	}
	if _, err := db.Document(ctx, "bbb"); thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
		t.Errorf("pruned document still there: %v", err)
	}
}

func TestIngestSkipsBadFilesAndDuplicates(t *testing.T) {
	db := pgtest.MustOpen(t)
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64)}
	dir := t.TempDir()
	write(t, dir, "1.md", sheet("one", "Một", "1.000 đồng"))
	write(t, dir, "2.md", sheet("one", "Trùng mã", "2.000 đồng"))
	write(t, dir, "3.md", "---\nid: three\n")
	st, err := r.Ingest(context.Background(), []string{dir}, ingest.Options{})
	if !errors.Is(err, ingest.ErrSomeFailed) {
		t.Fatalf("err = %v, want ErrSomeFailed", err)
	}
	if st.Written != 1 || len(st.Failed) != 2 || st.Sources != 3 {
		t.Fatalf("stats = %+v", st)
	}
	// Workers run in parallel: either file of the pair may be the one refused, as already
	// used in this run or already stored; the refusal names the other.
	if dup := st.Failed[0]; !strings.Contains(dup.Err, "is already") || !(strings.HasSuffix(dup.Path, "1.md") && strings.Contains(dup.Err, "2.md") ||
		strings.HasSuffix(dup.Path, "2.md") && strings.Contains(dup.Err, "1.md")) {
		t.Errorf("duplicate not reported: %+v", dup)
	}
	if !strings.HasSuffix(st.Failed[1].Path, "3.md") || !strings.Contains(st.Failed[1].Err, "3.md:1:") {
		t.Errorf("malformed file not reported with path and line: %+v", st.Failed[1])
	}
}

func TestIngestRefusesAnotherEmbedder(t *testing.T) {
	db := pgtest.MustOpen(t)
	dir := t.TempDir()
	write(t, dir, "a.md", sheet("aaa", "Thủ tục A", "10.000 đồng"))
	ctx := context.Background()
	if _, err := (&ingest.Runner{DB: db, Embedder: embedding.NewHashing(64)}).Ingest(ctx, []string{dir}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	_, err := (&ingest.Runner{DB: db, Embedder: embedding.NewHashing(128)}).Ingest(ctx, []string{dir}, ingest.Options{})
	if thutuc.ErrorCode(err) != thutuc.ECONFLICT || !strings.Contains(err.Error(), "re-embed") {
		t.Fatalf("err = %v, want a conflict that explains re-embedding", err)
	}
	info, _, _ := db.Embedder(ctx)
	if info != (postgres.EmbedderInfo{Name: "builtin-hash-v1", Dim: 64}) {
		t.Errorf("embedder changed to %+v", info)
	}
}
