package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/metrics"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/web"
)

// /metrics shows requests by route pattern (not by path), the chat's stages and statuses,
// lexical index builds and rate-limited requests.
func TestMetrics(t *testing.T) {
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	m := metrics.New()
	searcher.OnLexicalBuild, searcher.OnSearch = m.IndexBuild, m.Search
	if err := searcher.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc := chat.New(chat.Config{Searcher: searcher, DB: db, Observer: m, DBTimeout: 10 * time.Second})
	srv := web.New(web.Config{ChatPerMinute: 2, Metrics: m}, db, searcher, svc, nil)
	for i := 0; i < 3; i++ {
		do(t, srv, "POST", "/v1/chat", `{"message": "làm hộ chiếu cần giấy tờ gì"}`, nil)
	}
	do(t, srv, "GET", "/v1/documents/cap-ho-chieu-pho-thong", "", nil)
	do(t, srv, "GET", "/v1/documents/dang-ky-ket-hon", "", nil)
	w := do(t, srv, "GET", "/metrics", "", nil)
	if w.Code != 200 {
		t.Fatalf("/metrics: %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`thutuc_http_request_duration_seconds_count{method="POST",route="/v1/chat",status="200"} 2`,
		`thutuc_http_request_duration_seconds_count{method="POST",route="/v1/chat",status="429"} 1`,
		`thutuc_http_request_duration_seconds_count{method="GET",route="/v1/documents/:id",status="200"} 2`,
		`thutuc_chat_answers_total{status="answered"} 2`,
		`thutuc_chat_stage_duration_seconds_count{stage="resolve"} 2`,
		`thutuc_chat_stage_duration_seconds_count{stage="save"} 2`,
		`thutuc_lexical_index_build_duration_seconds_count{result="ok"} 1`,
		`thutuc_rate_limited_requests_total{limit="chat"} 1`,
		`thutuc_search_duration_seconds_count{mode="hybrid"}`,
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "cap-ho-chieu-pho-thong") {
		t.Error("/metrics has a document id as a label")
	}
}
