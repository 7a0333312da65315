package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// TestConcurrentIngests: two ingests of the same sheets at once into one store both end
// well (the second waits for the first), and every document is there once.
func TestConcurrentIngests(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 30 {
		id := fmt.Sprintf("doc%02d", i)
		write(t, dir, id+".md", sheet(id, "Thủ tục "+id, "10.000 đồng"))
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64), Workers: 4}
			_, errs[i] = r.Ingest(ctx, []string{dir}, ingest.Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("ingest %d: %v", i+1, err)
		}
	}
	var docs, chunks, distinct int
	if err := db.Pool().QueryRow(ctx, `select (select count(*) from documents), (select count(*) from chunks),
		(select count(distinct (document_id, ordinal)) from chunks)`).Scan(&docs, &chunks, &distinct); err != nil {
		t.Fatal(err)
	}
	if docs != 30 || chunks != distinct {
		t.Errorf("%d documents (want 30), %d chunks of which %d distinct", docs, chunks, distinct)
	}
}

// lawFile writes a laws-format file of n laws of m articles each.
func lawFile(t *testing.T, n, m int) string {
	type article struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	type law struct {
		ID       string    `json:"id"`
		Articles []article `json:"articles"`
	}
	var laws []law
	for i := range n {
		l := law{ID: fmt.Sprintf("Luật Thử nghiệm số %d", i+1)}
		for j := range m {
			l.Articles = append(l.Articles, article{ID: fmt.Sprint(j + 1), Text: fmt.Sprintf(
				"Quy định số %d\n\nCơ quan, tổ chức, cá nhân thực hiện quy định số %d của luật %d theo hướng dẫn.", j+1, j+1, i+1)})
		}
		laws = append(laws, l)
	}
	data, err := json.Marshal(laws)
	if err != nil {
		t.Fatal(err)
	}
	return write(t, t.TempDir(), "laws.json", string(data))
}

// TestIngestChild is the import TestKilledImportKeepsIndex kills: it runs only as that
// test's subprocess.
func TestIngestChild(t *testing.T) {
	u, path := os.Getenv("THUTUC_CHILD_URL"), os.Getenv("THUTUC_CHILD_FILE")
	if u == "" {
		t.Skip("run by TestKilledImportKeepsIndex")
	}
	db, err := postgres.Open(context.Background(), u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64), Importers: ingest.Importers(nil), Workers: 2}
	if _, err := r.Ingest(context.Background(), []string{path}, ingest.Options{Format: ingest.FormatLaws}); err != nil {
		t.Fatal(err)
	}
}

// TestKilledImportKeepsIndex: an import into an empty store drops the vector index to build
// it once at the end; killed (SIGKILL) half-way after more chunks than make a bulk load, the
// next import — into a store that holds documents now, so no bulk load — must restore the index, and every document be
// stored once. Before it restored the index, the store stayed without it for good, and
// /readyz said ready.
func TestKilledImportKeepsIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 8,000 articles")
	}
	db, u := pgtest.MustOpenURL(t)
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	path := lawFile(t, 20, 400)
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "THUTUC_CHILD_URL="+u, "THUTUC_CHILD_FILE="+path)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int
		if err := db.Pool().QueryRow(ctx, `select count(*) from chunks`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 5500 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import wrote %d chunks in 2 minutes: %s", n, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The server notices the killed client's connection, and frees its writer lock, a moment
	// later; until then the store counts as being imported into, which /readyz allows.
	for wait := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if busy, err := db.Writing(ctx); err != nil {
			t.Fatal(err)
		} else if !busy || time.Now().After(wait) {
			break
		}
	}
	if err := db.Ready(ctx); err == nil {
		t.Error("ready without the vector index after a killed import")
	}
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64), Importers: ingest.Importers(nil)}
	st, err := r.Ingest(ctx, []string{path}, ingest.Options{Format: ingest.FormatLaws})
	if err != nil {
		t.Fatal(err)
	}
	var index bool
	var docs, chunks, distinct int
	if err := db.Pool().QueryRow(ctx, `select exists (select 1 from pg_indexes where schemaname = current_schema() and indexname = 'chunks_embedding'),
		(select count(*) from documents), (select count(*) from chunks), (select count(distinct (document_id, ordinal)) from chunks)`).
		Scan(&index, &docs, &chunks, &distinct); err != nil {
		t.Fatal(err)
	}
	t.Logf("rerun: %d written, %d unchanged; %d documents, %d chunks", st.Written, st.Unchanged, docs, chunks)
	if !index {
		t.Error("no vector index after the rerun")
	}
	if docs != 20 || chunks != distinct {
		t.Errorf("%d documents (want 20), %d chunks of which %d distinct", docs, chunks, distinct)
	}
	if err := db.Ready(ctx); err != nil {
		t.Errorf("not ready after the rerun: %v", err)
	}
}

// TestImportIntoServingStoreKeepsIndex: an import into a store that already holds documents
// (and may be serving them) keeps the vector index all along; before, any store under 5,000
// chunks lost it until the import's end, and vector searches scanned every row.
func TestImportIntoServingStoreKeepsIndex(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64), Importers: ingest.Importers(nil)}
	if _, err := r.Ingest(ctx, []string{write(t, t.TempDir(), "cap-ho-chieu.md", sheet("cap-ho-chieu", "Cấp hộ chiếu", "200.000 đồng"))}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.Ingest(ctx, []string{lawFile(t, 4, 300)}, ingest.Options{Format: ingest.FormatLaws})
		done <- err
	}()
	polls, missing := 0, 0
	for running := true; running; polls++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		case <-time.After(5 * time.Millisecond):
		}
		var ok bool
		if err := db.Pool().QueryRow(ctx, `select exists (select 1 from pg_indexes where schemaname = current_schema() and indexname = 'chunks_embedding')`).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if !ok {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("the vector index was missing in %d of %d looks during the import", missing, polls)
	}
}

// TestDuplicateIDKeepsStoredSheet: a file that reuses the id of a sheet stored from another
// path is named and refused, wherever it sorts; the stored sheet stays, and is updated from
// its own file. --force lets the copy replace it.
func TestDuplicateIDKeepsStoredSheet(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	r := &ingest.Runner{DB: db, Embedder: embedding.NewHashing(64), Workers: 1}
	dir := t.TempDir()
	real := write(t, dir, "cap-ho-chieu.md", sheet("cap-ho-chieu", "Cấp hộ chiếu", "200.000 đồng"))
	if _, err := r.Ingest(ctx, []string{dir}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	rogue := write(t, dir, "ag-dup-id.md", sheet("cap-ho-chieu", "Hộ chiếu giả mạo", "1 đồng"))
	write(t, dir, "cap-ho-chieu.md", sheet("cap-ho-chieu", "Cấp hộ chiếu", "250.000 đồng"))
	st, err := r.Ingest(ctx, []string{dir}, ingest.Options{})
	if !errors.Is(err, ingest.ErrSomeFailed) || len(st.Failed) != 1 {
		t.Fatalf("err = %v, failed %+v: want the copy refused", err, st.Failed)
	}
	if f := st.Failed[0]; f.Path != rogue || !strings.Contains(f.Err, real) || !strings.Contains(f.Err, "--force") {
		t.Errorf("refusal = %+v: want it to name both files and --force", f)
	}
	doc, err := db.Document(ctx, "cap-ho-chieu")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Cấp hộ chiếu" || doc.SourcePath != real || !strings.Contains(doc.Body, "250.000 đồng") {
		t.Errorf("stored: %q from %s, body %q: want the real sheet, updated", doc.Title, doc.SourcePath, doc.Body)
	}
	if _, err := r.Ingest(ctx, []string{rogue}, ingest.Options{Force: true}); err != nil {
		t.Fatalf("forced: %v", err)
	}
	if doc, err = db.Document(ctx, "cap-ho-chieu"); err != nil || doc.SourcePath != rogue {
		t.Errorf("forced: stored from %v (%v), want %s", doc.SourcePath, err, rogue)
	}
}
