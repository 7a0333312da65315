package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
)

// BenchmarkCatalog imports the national catalog and the laws from ../shared/data, then measures
// retrieval quality per mode on the catalog question set, latency of /v1/search and /v1/chat
// (single client and 16 concurrent) against the real binary, HNSW recall against an exact scan,
// and the server's memory.
func BenchmarkCatalog(b *testing.B) {
	root, dvc, laws := sharedData(b)
	for i := 0; i < b.N; i++ {
		ctx := context.Background()
		db, url := pgtest.MustOpenURL(b)
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		emb := ingesttest.Embedder(b)
		base, err := corpus.KB()
		if err != nil {
			b.Fatal(err)
		}
		r := &ingest.Runner{DB: db, Embedder: emb, Importers: ingest.Importers(base)}

		var rows [][]string
		for _, src := range []struct{ path, format string }{{dvc, ingest.FormatDVC}, {laws, ingest.FormatLaws}} {
			st, err := r.Ingest(ctx, []string{src.path}, ingest.Options{Format: src.format})
			if err != nil {
				b.Logf("ingest %s: %v (%d failed)", src.format, err, len(st.Failed))
			}
			sec := st.Duration.Seconds()
			rows = append(rows, []string{src.format, fmt.Sprint(st.Written), fmt.Sprint(len(st.Failed)), fmt.Sprint(st.Chunks),
				fmt.Sprintf("%.1f s", sec), fmt.Sprintf("%.0f", float64(st.Written)/sec), fmt.Sprintf("%.0f", float64(st.Chunks)/sec)})
			if src.format == ingest.FormatDVC {
				b.ReportMetric(sec, "catalog-ingest-s")
				if cov, ok := st.Extra.(catalog.Stats); ok {
					defer coverageTable(cov)
				}
			}
		}
		size := schemaSize(b, db)
		rows = append(rows, []string{"database size", "", "", "", "", "", fmt.Sprintf("%.0f MB", float64(size)/1e6)})
		table("Import with the built-in trained embedder and the knowledge base (target: the whole catalog in under a minute on 2 cores)",
			[]string{"source", "documents", "failed", "chunks", "time", "docs/s", "chunks/s"}, rows)

		lex, err := retrieval.ParseLexicon(corpus.Lexicon)
		if err != nil {
			b.Fatal(err)
		}
		searcher := retrieval.NewSearcher(db, emb, lex, nil)
		if err := searcher.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		cqs := catalogQuestions(b, root)
		if len(cqs) > 0 {
			svc := chat.New(chat.Config{Searcher: searcher, DB: db})
			rep, err := eval.Run(ctx, searcher, cqs, eval.Options{Modes: []string{retrieval.ModeText, retrieval.ModeVector, retrieval.ModeHybrid}, Chat: svc})
			if err != nil {
				b.Fatal(err)
			}
			var qrows [][]string
			for _, m := range []string{retrieval.ModeText, retrieval.ModeVector, retrieval.ModeHybrid} {
				s := rep.Retrieval[m]
				qrows = append(qrows, []string{m, fmt.Sprint(s.N), fmt.Sprintf("%.3f", s.Hit1), fmt.Sprintf("%.3f", s.Hit5), fmt.Sprintf("%.3f", s.Hit10), fmt.Sprintf("%.3f", s.MRR)})
			}
			qrows = append(qrows, []string{"reference (another system, FAQ set)", "", "BM25 0.74 / dense 0.85 / hybrid 0.85", "", "R@10 0.95", ""})
			table("Retrieval over the whole catalog, catalog question set (procedure ids)", []string{"mode", "n", "hit@1", "hit@5", "hit@10", "MRR"}, qrows)
			c := rep.Chat
			table("Chat (offline, extractive) over the whole catalog, catalog question set",
				[]string{"questions", "intent", "status", "procedure answered or offered", "citation rate", "fee/deadline numbers grounded", "statuses"},
				[][]string{{fmt.Sprint(c.N), fmt.Sprintf("%.3f", c.IntentAccuracy), fmt.Sprintf("%.3f", c.StatusAccuracy), fmt.Sprintf("%.3f", c.ProcedureHit),
					fmt.Sprintf("%.3f", c.CitationRate), fmt.Sprintf("%.3f (%d)", c.NumbersGrounded, c.FeeDeadlineN), fmt.Sprint(c.Statuses)}})
		}

		var rrows [][]string
		for _, r := range hnswRecall(b, url, emb, append(cqs, questions(b)...), 200, 10, []int{40, 100, 200, 400}) {
			mark := ""
			if r.ef == postgres.DefaultEfSearch {
				mark = " (chosen)"
				b.ReportMetric(r.recall, "hnsw-recall@10")
			}
			rrows = append(rrows, []string{fmt.Sprint(r.ef) + mark, "200", fmt.Sprintf("%.3f", r.recall), ms(r.p50), ms(r.p95)})
		}
		table("HNSW recall@10 against an exact scan (m 16, ef_construction 64; vector query in process)",
			[]string{"ef_search", "queries", "recall@10", "p50", "p95"}, rrows)

		serverLatency(b, root, url, append(cqs, questions(b)...))
	}
}

// sharedData returns the repository root and the catalog and laws beside it
// (../shared/data), skipping the benchmark when the catalog is absent.
func sharedData(b *testing.B) (root, dvc, laws string) {
	root = ingesttest.Root(b)
	data := filepath.Join(root, "..", "shared", "data")
	dvc, laws = filepath.Join(data, "dvc-procedures.jsonl"), filepath.Join(data, "laws-alqac2023.json")
	if _, err := os.Stat(dvc); err != nil {
		b.Skipf("catalog not available: %v", err)
	}
	return root, dvc, laws
}

func catalogQuestions(b *testing.B, root string) []eval.Question {
	data, err := os.ReadFile(filepath.Join(root, "corpus", "eval", "catalog_questions.jsonl"))
	if err != nil {
		b.Logf("no catalog question set: %v", err)
		return nil
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	return qs
}

// coverageTable prints the share of catalog records whose parts the importer recovered.
func coverageTable(c catalog.Stats) {
	share := func(n int) string { return fmt.Sprintf("%d (%.1f%%)", n, 100*float64(n)/float64(max(c.Records, 1))) }
	table("Catalog parse coverage (records with each part recovered)", []string{"records", "channels", "fees", "deadlines", "documents", "legal basis", "failed"},
		[][]string{{fmt.Sprint(c.Records), share(c.WithChannels), share(c.WithFees), share(c.WithDeadlines), share(c.WithDocuments), share(c.WithLegal), fmt.Sprint(c.Failed)}})
}

// schemaSize is the size of the tables (with their indexes and TOAST) of the current schema.
func schemaSize(b *testing.B, db *postgres.DB) int64 {
	var n int64
	err := db.Pool().QueryRow(context.Background(), `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
		from pg_class c join pg_namespace s on s.oid = c.relnamespace
		where s.nspname = current_schema() and c.relkind = 'r'`).Scan(&n)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// recallRow is the recall and query latency of the HNSW index at one ef_search.
type recallRow struct {
	ef       int
	recall   float64
	p50, p95 time.Duration
}

// hnswRecall compares the index's k nearest chunks with an exact scan for n queries, at each
// ef_search of efs (one connection pool each, since ef_search is set per connection).
func hnswRecall(b *testing.B, url string, emb embedding.Embedder, qs []eval.Question, n, k int, efs []int) []recallRow {
	ctx := context.Background()
	if len(qs) > n {
		qs = qs[:n]
	}
	vecs := make([][]float32, len(qs))
	exact := make([]map[int64]bool, len(qs))
	for i, q := range qs {
		v, err := emb.EmbedQuery(ctx, q.Question)
		if err != nil {
			b.Fatal(err)
		}
		vecs[i] = v
	}
	var rows []recallRow
	for _, ef := range efs {
		db, err := postgres.Open(ctx, url, postgres.Options{EfSearch: ef, MaxConns: 2})
		if err != nil {
			b.Fatal(err)
		}
		var sum float64
		var lat []time.Duration
		for i, v := range vecs {
			if exact[i] == nil {
				hits, err := db.SearchVectorExact(ctx, v, k)
				if err != nil {
					b.Fatal(err)
				}
				exact[i] = map[int64]bool{}
				for _, h := range hits {
					exact[i][h.ChunkID] = true
				}
			}
			start := time.Now()
			approx, err := db.SearchVector(ctx, v, thutuc.Filter{}, k)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			hit := 0
			for _, h := range approx {
				if exact[i][h.ChunkID] {
					hit++
				}
			}
			if len(exact[i]) > 0 {
				sum += float64(hit) / float64(len(exact[i]))
			}
		}
		db.Close()
		p50, p95, _ := percentiles(lat)
		rows = append(rows, recallRow{ef: ef, recall: sum / float64(max(len(vecs), 1)), p50: p50, p95: p95})
	}
	return rows
}

// serverLatency builds and starts the real binary against the catalog database, measures
// /v1/search (hybrid and vector-only) and /v1/chat with 1 and 16 clients, and reads the
// server's memory.
func serverLatency(b *testing.B, root, dbURL string, qs []eval.Question) {
	bin := filepath.Join(b.TempDir(), "thutuc")
	build := exec.Command("go", "build", "-o", bin, "./cmd/thutuc")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "THUTUC_LOG_LEVEL=error", "THUTUC_CHAT_PER_MINUTE=0", "THUTUC_SEARCH_PER_MINUTE=0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("serve: %v", err)
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "thutuc serving on "))
	// Ready once the lexical index is built, so that no measured request waits for it.
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
	}
	search := func(mode string) func(string) string {
		return func(q string) string { return fmt.Sprintf(`{"query": %q, "mode": %q}`, q, mode) }
	}
	var rows [][]string
	p95 := map[string]time.Duration{}
	for _, tc := range []struct {
		name, path string
		body       func(string) string
		clients    int
	}{
		{"search hybrid", "/v1/search", search("hybrid"), 1},
		{"search vector-only", "/v1/search", search("vector"), 1},
		{"search text-only", "/v1/search", search("text"), 1},
		{"search hybrid", "/v1/search", search("hybrid"), 16},
		{"chat (offline)", "/v1/chat", func(q string) string { return fmt.Sprintf(`{"message": %q}`, q) }, 1},
		{"chat (offline)", "/v1/chat", func(q string) string { return fmt.Sprintf(`{"message": %q}`, q) }, 16},
	} {
		start := time.Now()
		lat, errs := httpLatencies(base+tc.path, qs, tc.clients, tc.body)
		wall := time.Since(start)
		a, c, d := percentiles(lat)
		p95[fmt.Sprintf("%s/%d", tc.name, tc.clients)] = c
		rows = append(rows, []string{tc.name, fmt.Sprint(tc.clients), fmt.Sprint(len(lat)), fmt.Sprint(errs), ms(a), ms(c), ms(d),
			fmt.Sprintf("%.0f", float64(len(lat))/wall.Seconds())})
	}
	table("HTTP latency over the whole catalog (real binary, loopback; target: search p95 < 30 ms single client, hybrid ≤ 2× vector-only)",
		[]string{"endpoint", "clients", "requests", "errors", "p50", "p95", "p99", "req/s"}, rows)
	if v := p95["search vector-only/1"]; v > 0 {
		ratio := float64(p95["search hybrid/1"]) / float64(v)
		fmt.Printf("hybrid/vector-only p95 ratio: %.2f\n", ratio)
		b.ReportMetric(ratio, "hybrid/vector-p95")
	}
	b.ReportMetric(float64(p95["search hybrid/1"].Microseconds())/1000, "search-p95-ms")
	rss, hwm := procMemory(cmd.Process.Pid)
	table("Server memory after the load", []string{"RSS", "peak RSS (VmHWM)"}, [][]string{{rss, hwm}})
}

// procMemory reads the current and peak resident set size of a process from /proc.
func procMemory(pid int) (rss, hwm string) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?", "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "VmRSS:" {
			rss = f[1] + " kB"
		}
		if len(f) >= 3 && f[0] == "VmHWM:" {
			hwm = f[1] + " kB"
		}
	}
	return rss, hwm
}
