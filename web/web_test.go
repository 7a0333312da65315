package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
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
	t.Run("rate limit", func(t *testing.T) {
		limited := web.New(web.Config{ChatPerMinute: 2}, db, searcher, svc, nil)
		testChatRateLimit(t, limited)
	})
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

func trim(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
