// Package bench holds the benchmarks of `make bench`: ingest speed, search and chat latency
// percentiles over question sets, concurrency, HNSW recall and memory. They print tables; the
// targets they report against are not tests (tests check behaviour, not wall-clock time).
package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/web"
)

// percentiles returns p50, p95 and p99 of ds.
func percentiles(ds []time.Duration) (p50, p95, p99 time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s)-1) + 0.5)
		return s[i]
	}
	return at(0.50), at(0.95), at(0.99)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// table prints rows under a title, aligned.
func table(title string, header []string, rows [][]string) {
	w := make([]int, len(header))
	for i, h := range header {
		w[i] = len([]rune(h))
	}
	for _, r := range rows {
		for i, c := range r {
			if n := len([]rune(c)); n > w[i] {
				w[i] = n
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			b.WriteString("| ")
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", w[i]-len([]rune(c))+1))
		}
		fmt.Println(b.String() + "|")
	}
	fmt.Printf("\n%s\n", title)
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = strings.Repeat("-", w[i])
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
}

func questions(b *testing.B) []eval.Question {
	qs, err := eval.ReadQuestions(bytes.NewReader(corpus.Questions))
	if err != nil {
		b.Fatal(err)
	}
	return qs
}

// BenchmarkBundledCorpus: ingest time of corpus/, then search latency (per mode) and offline
// chat latency over the development questions.
func BenchmarkBundledCorpus(b *testing.B) {
	for i := 0; i < b.N; i++ {
		db := pgtest.MustOpen(b)
		ctx := context.Background()
		root := ingesttest.Root(b)
		r := &ingest.Runner{DB: db, Embedder: ingesttest.Embedder(b)}
		paths := []string{filepath.Join(root, "corpus/procedures"), filepath.Join(root, "corpus/regulations")}
		st, err := r.Ingest(ctx, paths, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		again, err := r.Ingest(ctx, paths, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		table("Ingest of the bundled corpus (built-in embedder)", []string{"run", "documents", "chunks", "time", "written"},
			[][]string{
				{"fresh", fmt.Sprint(st.Sources), fmt.Sprint(st.Chunks), ms(st.Duration), fmt.Sprint(st.Written)},
				{"unchanged", fmt.Sprint(again.Sources), "0", ms(again.Duration), fmt.Sprint(again.Written)},
			})
		b.ReportMetric(float64(st.Duration.Milliseconds()), "ingest-ms")

		searcher := ingesttest.MustIngestCorpus(b, db)
		qs := questions(b)
		rows := [][]string{}
		for _, mode := range []string{retrieval.ModeHybrid, retrieval.ModeText, retrieval.ModeVector} {
			lat := searchLatencies(b, searcher, qs, mode)
			p50, p95, p99 := percentiles(lat)
			rows = append(rows, []string{mode, fmt.Sprint(len(lat)), ms(p50), ms(p95), ms(p99)})
			if mode == retrieval.ModeHybrid {
				b.ReportMetric(float64(p95.Microseconds())/1000, "search-p95-ms")
			}
		}
		table("Search latency over the development questions (in process, single client)", []string{"mode", "queries", "p50", "p95", "p99"}, rows)

		svc := chat.New(chat.Config{Searcher: searcher, DB: db})
		srv := httptest.NewServer(web.New(web.Config{ChatPerMinute: -1}, db, searcher, svc, nil))
		lat, errs := chatLatencies(srv.URL, qs, 1)
		srv.Close()
		p50, p95, p99 := percentiles(lat)
		table("POST /v1/chat latency, offline composer (HTTP, single client)", []string{"requests", "errors", "p50", "p95", "p99"},
			[][]string{{fmt.Sprint(len(lat)), fmt.Sprint(errs), ms(p50), ms(p95), ms(p99)}})
		b.ReportMetric(float64(p95.Microseconds())/1000, "chat-p95-ms")
	}
}

func searchLatencies(b *testing.B, s *retrieval.Searcher, qs []eval.Question, mode string) []time.Duration {
	ctx := context.Background()
	var lat []time.Duration
	for _, q := range qs {
		start := time.Now()
		if _, err := s.Search(ctx, retrieval.Query{Text: q.Question, Mode: mode}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	return lat
}

// chatLatencies sends every question to /v1/chat from `clients` concurrent clients and returns
// the latencies of the successful requests and the count of failed ones.
func chatLatencies(base string, qs []eval.Question, clients int) ([]time.Duration, int) {
	return httpLatencies(base+"/v1/chat", qs, clients, func(q string) string {
		return fmt.Sprintf(`{"message": %q}`, q)
	})
}

func httpLatencies(url string, qs []eval.Question, clients int, body func(string) string) ([]time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	next := make(chan string)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				start := time.Now()
				resp, err := client.Post(url, "application/json", strings.NewReader(body(q)))
				d := time.Since(start)
				ok := err == nil && resp.StatusCode == 200
				if resp != nil {
					resp.Body.Close()
				}
				mu.Lock()
				if ok {
					lat = append(lat, d)
				} else {
					errs++
				}
				mu.Unlock()
			}
		}()
	}
	for _, q := range qs {
		next <- q.Question
	}
	close(next)
	wg.Wait()
	return lat, errs
}
