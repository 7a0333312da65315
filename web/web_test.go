package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/web"
)

// TestAPI runs the API tests against one server over the bundled corpus in a fresh schema.
func TestAPI(t *testing.T) {
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	svc := chat.New(chat.Config{Searcher: searcher, DB: db})
	srv := web.New(web.Config{CORSOrigins: []string{"https://portal.example"}, ChatPerMinute: -1}, db, searcher, svc, nil)
	t.Run("routes", func(t *testing.T) { testRoutes(t, srv) })
	t.Run("cors", func(t *testing.T) { testCORSHeaders(t, srv) })
	t.Run("sse", func(t *testing.T) { testChatSSE(t, srv) })
	t.Run("rate limit", func(t *testing.T) {
		limited := web.New(web.Config{ChatPerMinute: 2}, db, searcher, svc, nil)
		testChatRateLimit(t, limited)
	})
	t.Run("spoofed forwarding headers", func(t *testing.T) { testSpoofedHeaders(t, db, searcher, svc) })
}

func do(t *testing.T, h http.Handler, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func testRoutes(t *testing.T, srv http.Handler) {
	big := `{"query": "` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		contains                 []string
	}{
		{"healthz", "GET", "/healthz", "", nil, 200, []string{`"ok"`}},
		{"readyz", "GET", "/readyz", "", nil, 200, []string{`"ready"`}},
		{"search accented", "POST", "/v1/search", `{"query": "làm hộ chiếu hết bao nhiêu tiền", "k": 3}`, nil, 200,
			[]string{`"document_id":"cap-ho-chieu-pho-thong"`, `"sections"`, `"source_url"`, `"as_of"`}},
		{"search no diacritics", "POST", "/v1/search", `{"query": "lam ho chieu het bao nhieu tien"}`, nil, 200,
			[]string{`"cap-ho-chieu-pho-thong"`}},
		{"search everyday word", "POST", "/v1/search", `{"query": "làm sổ đỏ lần đầu", "k": 1}`, nil, 200,
			[]string{`"cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau"`}},
		{"search regulation filter keeps article", "POST", "/v1/search", `{"query": "điều kiện đăng ký thường trú", "filters": {"kind": "regulation"}, "k": 1}`, nil, 200,
			[]string{`"luat-cu-tru-2020"`, `"article":"20"`}},
		{"search empty query", "POST", "/v1/search", `{"query": "   "}`, nil, 400, []string{`"code":"invalid"`, "trống"}},
		{"search too long query", "POST", "/v1/search", `{"query": "` + strings.Repeat("hộ ", 600) + `"}`, nil, 400, []string{`"invalid"`}},
		{"search body too large", "POST", "/v1/search", big, nil, 413, []string{`"too_large"`}},
		{"search bad json", "POST", "/v1/search", `{"query": `, nil, 400, []string{`"invalid"`}},
		{"search without Content-Type", "POST", "/v1/search", `{"query": "hộ chiếu"}`, map[string]string{"Content-Type": ""}, 400, []string{`"invalid"`, "Content-Type"}},
		{"chat as text/plain", "POST", "/v1/chat", `{"message": "hộ chiếu"}`, map[string]string{"Content-Type": "text/plain"}, 400, []string{`"invalid"`, "Content-Type"}},
		// Bytes Postgres cannot store are refused at the edge, naming the field.
		{"search NUL in query", "POST", "/v1/search", `{"query": "hộ\u0000chiếu"}`, nil, 400, []string{`"invalid"`, "query", "NUL"}},
		{"search NUL in a filter", "POST", "/v1/search", `{"query": "hộ chiếu", "filters": {"agency": "a\u0000"}}`, nil, 400, []string{`"invalid"`, "agency"}},
		{"chat NUL in message", "POST", "/v1/chat", `{"message": "làm hộ chiếu\u0000"}`, nil, 400, []string{`"invalid"`, "message"}},
		{"feedback NUL in comment", "POST", "/v1/feedback", `{"message_id": "x", "helpful": false, "comment": "sai\u0000"}`, nil, 400, []string{`"invalid"`, "comment"}},
		{"document id with NUL", "GET", "/v1/documents/cap%00ho", "", nil, 400, []string{`"invalid"`}},
		{"document id not UTF-8", "GET", "/v1/documents/%ff%fe", "", nil, 400, []string{`"invalid"`, "UTF-8"}},
		{"documents filter with NUL", "GET", "/v1/documents?agency=%00", "", nil, 400, []string{`"invalid"`, "agency"}},
		{"lookup filter not UTF-8", "GET", "/tra-cuu?q=h%ff&kind=procedure", "", nil, 400, []string{"UTF-8"}},
		{"search unknown field", "POST", "/v1/search", `{"q": "x"}`, nil, 400, []string{"Trường không được hỗ trợ"}},
		{"search bad k", "POST", "/v1/search", `{"query": "hộ chiếu", "k": 500}`, nil, 400, []string{`"invalid"`}},
		{"search bad kind", "POST", "/v1/search", `{"query": "hộ chiếu", "filters": {"kind": "law"}}`, nil, 400, []string{`"invalid"`}},
		{"documents", "GET", "/v1/documents?kind=procedure&limit=5", "", nil, 200, []string{`"total":33`, `"limit":5`}},
		{"documents level filter", "GET", "/v1/documents?level=xa&limit=500", "", nil, 200, []string{`"dang-ky-khai-sinh"`}},
		{"documents bad limit", "GET", "/v1/documents?limit=0", "", nil, 400, []string{`"invalid"`}},
		{"document", "GET", "/v1/documents/cap-ho-chieu-pho-thong", "", nil, 200, []string{`"code":"1.001456"`, `"section":"fees"`}},
		{"document missing", "GET", "/v1/documents/khong-co", "", nil, 404, []string{`"not_found"`}},
		{"facets", "GET", "/v1/facets", "", nil, 200, []string{`"level"`, `"field"`}},
		{"unknown route", "GET", "/v1/nope", "", nil, 404, []string{`"not_found"`}},
		{"wrong method", "DELETE", "/v1/search", "", nil, 405, []string{`"method_not_allowed"`}},
		{"cors preflight allowed", "OPTIONS", "/v1/chat", "", map[string]string{"Origin": "https://portal.example", "Access-Control-Request-Method": "POST"}, 204, nil},
		{"cors preflight refused", "OPTIONS", "/v1/chat", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, 403, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, srv, tt.method, tt.path, tt.body, tt.header)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, trim(w.Body.String()))
			}
			for _, c := range tt.contains {
				if !strings.Contains(w.Body.String(), c) {
					t.Errorf("body lacks %s: %s", c, trim(w.Body.String()))
				}
			}
			if tt.status >= 400 && tt.method != "OPTIONS" {
				var e struct {
					Error struct{ Code, Message string } `json:"error"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("error body is not {error:{code,message}}: %s", trim(w.Body.String()))
				}
			}
		})
	}
}

func testCORSHeaders(t *testing.T, srv http.Handler) {
	w := do(t, srv, "POST", "/v1/search", `{"query":"hộ chiếu"}`, map[string]string{"Origin": "https://portal.example"})
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "https://portal.example" {
		t.Errorf("allowed origin: ACAO = %q", got)
	}
	w = do(t, srv, "POST", "/v1/search", `{"query":"hộ chiếu"}`, map[string]string{"Origin": "https://evil.example"})
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("other origin: ACAO = %q, want none", got)
	}
}

func testChatRateLimit(t *testing.T, s http.Handler) {
	codes := []int{}
	for i := 0; i < 3; i++ {
		w := do(t, s, "POST", "/v1/chat", `{"message": ""}`, nil)
		codes = append(codes, w.Code)
	}
	if codes[2] != http.StatusTooManyRequests {
		t.Fatalf("third request: %d, want 429 (codes %v)", codes[2], codes)
	}
}

// A client that rotates X-Forwarded-For (or X-Real-IP) is still one client, on every limited
// route, and cannot lock another out; behind a trusted proxy the header names the client.
func testSpoofedHeaders(t *testing.T, db *postgres.DB, searcher *retrieval.Searcher, svc *chat.Service) {
	srv := web.New(web.Config{ChatPerMinute: 3, SearchPerMinute: 3, FeedbackPerMinute: 3}, db, searcher, svc, nil)
	for _, route := range []struct{ path, body string }{
		{"/v1/chat", `{"message": ""}`},
		{"/v1/search", `{"query": ""}`},
		{"/v1/feedback", `{"message_id": ""}`},
	} {
		var codes []int
		for i := 0; i < 40; i++ {
			w := do(t, srv, "POST", route.path, route.body, map[string]string{
				"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i), "X-Real-IP": fmt.Sprintf("198.51.100.%d", i)})
			codes = append(codes, w.Code)
		}
		limited := 0
		for _, c := range codes {
			if c == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited != 37 {
			t.Errorf("%s: %d of 40 requests with rotating addresses limited, want 37 (codes %v)", route.path, limited, codes)
		}
	}
	// Behind a trusted proxy (httptest's peer address), each forwarded address is its own client.
	proxied := web.New(web.Config{ChatPerMinute: 1, TrustedProxies: []string{"192.0.2.1"}}, db, searcher, svc, nil)
	for i := 0; i < 5; i++ {
		w := do(t, proxied, "POST", "/v1/chat", `{"message": ""}`, map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i)})
		if w.Code == http.StatusTooManyRequests {
			t.Errorf("behind a trusted proxy, client %d limited", i)
		}
	}
	if w := do(t, proxied, "POST", "/v1/chat", `{"message": ""}`, map[string]string{"X-Forwarded-For": "203.0.113.0"}); w.Code != http.StatusTooManyRequests {
		t.Errorf("behind a trusted proxy, a client's second request: %d, want 429", w.Code)
	}
}

func trim(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	name string
	data json.RawMessage
}

// parseSSE splits a text/event-stream body into events, failing on malformed framing.
func parseSSE(t *testing.T, body string) []sseEvent {
	t.Helper()
	if !strings.HasSuffix(body, "\n\n") {
		t.Fatalf("stream does not end with a blank line: %q", trim(body))
	}
	var out []sseEvent
	for _, block := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		lines := strings.Split(block, "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "event: ") || !strings.HasPrefix(lines[1], "data: ") {
			t.Fatalf("malformed event %q", block)
		}
		data := json.RawMessage(strings.TrimPrefix(lines[1], "data: "))
		if !json.Valid(data) {
			t.Fatalf("event data is not JSON: %q", data)
		}
		out = append(out, sseEvent{strings.TrimPrefix(lines[0], "event: "), data})
	}
	return out
}

func testChatSSE(t *testing.T, srv http.Handler) {
	stream := map[string]string{"Accept": "text/event-stream"}
	w := do(t, srv, "POST", "/v1/chat", `{"message": "lam ho chieu het bao nhieu tien"}`, stream)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
	}
	events := parseSSE(t, w.Body.String())
	var names []string
	var deltas strings.Builder
	for _, e := range events {
		names = append(names, e.name)
		if e.name == "delta" {
			var d struct{ Text string }
			json.Unmarshal(e.data, &d)
			deltas.WriteString(d.Text)
		}
	}
	if len(names) < 4 || names[0] != "meta" || names[len(names)-2] != "citations" || names[len(names)-1] != "done" {
		t.Fatalf("event order %v, want meta, delta…, citations, done", names)
	}
	var done chat.Response
	if err := json.Unmarshal(events[len(events)-1].data, &done); err != nil {
		t.Fatal(err)
	}
	if done.Status != chat.StatusAnswered || done.Procedure == nil || done.Procedure.ID != "cap-ho-chieu-pho-thong" || len(done.Citations) == 0 {
		t.Fatalf("done = %+v", done)
	}
	if deltas.String() != done.Answer {
		t.Errorf("the deltas do not add up to the answer:\n%q\n%q", deltas.String(), done.Answer)
	}
	// An error before the first event is a plain JSON error with its status.
	w = do(t, srv, "POST", "/v1/chat", `{"message": ""}`, stream)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"error"`) || strings.Contains(w.Body.String(), "event:") {
		t.Errorf("empty message over SSE: %d %s", w.Code, trim(w.Body.String()))
	}
}
