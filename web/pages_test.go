package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/web"
)

// widgetBudget is the most widget.js may weigh, raw: it loads on every page of a portal.
const widgetBudget = 28 << 10 // 25 KiB until the folded detail, quotes on tap and feedback reasons (10 KiB gzipped)

// TestPages runs the page tests against one server over the bundled corpus.
func TestPages(t *testing.T) {
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	svc := chat.New(chat.Config{Searcher: searcher, DB: db})
	srv := web.New(web.Config{ChatPerMinute: -1}, db, searcher, svc, nil)
	t.Run("routes", func(t *testing.T) { testPageRoutes(t, srv) })
	t.Run("widget caching", func(t *testing.T) { testWidgetCaching(t, srv) })
	t.Run("checklist markdown", func(t *testing.T) { testChecklistMarkdown(t, srv) })
	t.Run("every document", func(t *testing.T) { testEveryDocument(t, srv) })
	t.Run("public url", func(t *testing.T) {
		pub := web.New(web.Config{ChatPerMinute: -1, PublicURL: "https://thutuc.example.vn/"}, db, searcher, svc, nil)
		w := do(t, pub, "GET", "/", "", nil)
		if !strings.Contains(w.Body.String(), `<script src="https://thutuc.example.vn/widget.js" data-locality="ha-noi" defer></script>`) {
			t.Errorf("portal does not load the widget from the public URL: %s", trim(w.Body.String()))
		}
	})
	// A forged Host header never reaches a page or a download.
	t.Run("host header", func(t *testing.T) {
		for _, path := range []string{"/", "/tra-cuu/cap-ho-chieu-pho-thong", "/checklist/cap-ho-chieu-pho-thong?format=md"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Host = "evil.example"
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "evil.example") {
				t.Errorf("%s with Host evil.example: %d, body names the host: %v", path, w.Code, strings.Contains(w.Body.String(), "evil.example"))
			}
		}
	})
}

func testPageRoutes(t *testing.T, srv http.Handler) {
	tests := []struct {
		name, path  string
		status      int
		contentType string
		contains    []string
		lacks       []string
	}{
		{"portal", "/", 200, "text/html", []string{
			`<script src="/widget.js" data-locality="ha-noi" defer></script>`,
			"Cổng dịch vụ công — Demo", "demo",
		}, nil},
		{"widget", "/widget.js", 200, "application/javascript", []string{"attachShadow", "text/event-stream", "/v1/feedback"}, nil},
		{"page stylesheet", "/static/pages.css", 200, "text/css", []string{"@media print"}, nil},
		{"unknown static", "/static/nope.js", 404, "application/json", []string{`"not_found"`}, nil},
		{"checklist", "/checklist/cap-ho-chieu-pho-thong", 200, "text/html", []string{
			"<h1>Cấp hộ chiếu phổ thông ở trong nước</h1>", "1.001456",
			"Giấy tờ cần mang", `<input type="checkbox">`,
			"Tờ khai đề nghị cấp hộ chiếu phổ thông ở trong nước", // a document, as a checkbox item
			"<h3>Trực tiếp</h3>", "<h3>Trực tuyến</h3>", "<h3>Dịch vụ bưu chính</h3>", // per channel
			"200.000 đồng/hộ chiếu", "160.000 đồng/hộ chiếu", "8 ngày làm việc",
			"Công an cấp tỉnh", "Các bước thực hiện", "In danh sách",
			`href="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-5fda-7370-bc07-6f1fd02ffcc4"`,
			"cập nhật 01/07/2025",
		}, nil},
		{"checklist keeps case sub-headings", "/checklist/dang-ky-thuong-tru", 200, "text/html", []string{
			"<h3>Chỗ ở hợp pháp do thuê, mượn, ở nhờ</h3>", "Hợp đồng hoặc văn bản cho thuê",
		}, nil},
		{"checklist unknown", "/checklist/khong-co", 404, "text/html", []string{"Không tìm thấy", `lang="vi"`}, nil},
		{"checklist of a regulation", "/checklist/luat-cu-tru-2020", 404, "text/html", []string{"không phải một thủ tục"}, nil},
		{"checklist markdown unknown", "/checklist/khong-co?format=md", 404, "application/json", []string{`"not_found"`}, nil},
		{"lookup", "/tra-cuu", 200, "text/html", []string{`name="q"`, `<select name="level">`, `<option value="tinh">Cấp tỉnh`, "Trang 1/", `rel="next"`}, nil},
		{"lookup regulations", "/tra-cuu?kind=regulation", 200, "text/html", []string{"Luật Cư trú 2020", " văn bản</p>"}, nil},
		{"lookup search", "/tra-cuu?q=ho+chieu", 200, "text/html", []string{
			`href="/tra-cuu/cap-ho-chieu-pho-thong"`, "Cấp hộ chiếu phổ thông ở trong nước", "kết quả cho", `value="ho chieu"`, "<mark>hộ chiếu",
		}, []string{"<mark>hộ</mark>", "<mark>Hộ</mark>"}},
		{"lookup filter", "/tra-cuu?q=dang+ky&kind=regulation", 200, "text/html", []string{`<option value="regulation" selected>`}, []string{`href="/tra-cuu/dang-ky-khai-sinh"`}},
		{"lookup escapes the query", "/tra-cuu?q=%3Cscript%3Ealert(1)%3C/script%3E", 200, "text/html", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert(1)"}},
		{"lookup bad kind", "/tra-cuu?q=ho+chieu&kind=law", 400, "text/html", []string{`role="alert"`}, nil},
		{"lookup too long", "/tra-cuu?q=" + strings.Repeat("ho+", 600), 400, "text/html", []string{"quá dài"}, nil},
		{"sheet", "/tra-cuu/cap-ho-chieu-pho-thong", 200, "text/html", []string{
			`id="documents"`, `id="fees"`, `id="legal-basis"`, `href="#fees"`, `data-copy="fees"`, `href="/checklist/cap-ho-chieu-pho-thong"`,
		}, nil},
		{"sheet of a regulation", "/tra-cuu/luat-cu-tru-2020", 200, "text/html", []string{
			`id="article-20"`, "Điều 20. Điều kiện đăng ký thường trú", `href="#article-20"`,
		}, []string{"/checklist/luat-cu-tru-2020"}},
		{"sheet links regulations", "/tra-cuu/dang-ky-thuong-tru", 200, "text/html", []string{
			`href="/tra-cuu/luat-cu-tru-2020"`, `Luật Cư trú 2020, số <a href="/tra-cuu/luat-cu-tru-2020">68/2020/QH14</a>.`,
		}, nil},
		{"sheet unknown", "/tra-cuu/khong-co", 404, "text/html", []string{"Không tìm thấy"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, srv, "GET", tt.path, "", nil)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, trim(body))
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.contentType)
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body lacks %q", c)
				}
			}
			for _, c := range tt.lacks {
				if strings.Contains(body, c) {
					t.Errorf("body has %q", c)
				}
			}
			if strings.HasPrefix(tt.contentType, "text/html") && w.Header().Get("Content-Security-Policy") == "" {
				t.Error("page without Content-Security-Policy")
			}
		})
	}
}

func testWidgetCaching(t *testing.T, srv http.Handler) {
	w := do(t, srv, "GET", "/widget.js", "", nil)
	if n := w.Body.Len(); n > widgetBudget {
		t.Errorf("widget.js is %d bytes, budget %d", n, widgetBudget)
	}
	etag := w.Header().Get("ETag")
	if etag == "" || !strings.Contains(w.Header().Get("Cache-Control"), "max-age") {
		t.Fatalf("widget.js cache headers: ETag %q, Cache-Control %q", etag, w.Header().Get("Cache-Control"))
	}
	if w := do(t, srv, "GET", "/widget.js", "", map[string]string{"If-None-Match": etag}); w.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", w.Code)
	}
	gz := do(t, srv, "GET", "/widget.js", "", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: Content-Encoding %q", gz.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, w.Body.Bytes()) {
		t.Errorf("gzipped widget differs from the plain one (err %v)", err)
	}
	t.Logf("widget.js: %d bytes, %d gzipped", w.Body.Len(), gz.Body.Len())
}

func testChecklistMarkdown(t *testing.T, srv http.Handler) {
	w := do(t, srv, "GET", "/checklist/cap-ho-chieu-pho-thong?format=md", "", nil)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, trim(w.Body.String()))
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	md := w.Body.String()
	for _, want := range []string{
		"# Cấp hộ chiếu phổ thông ở trong nước\n",
		"## Giấy tờ cần mang\n",
		"- [ ] Tờ khai đề nghị cấp hộ chiếu phổ thông ở trong nước",
		"### Trực tuyến\n",
		"- Lệ phí: 160.000 đồng/hộ chiếu",
		"- Thời hạn: 8 ngày làm việc",
		"cập nhật 01/07/2025 — kiểm tra lại tại <https://dichvucong.gov.vn/",
		"Bản đầy đủ: /tra-cuu/cap-ho-chieu-pho-thong\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// Items are on one line each: a wrapped source line would break the task list.
	if regexp.MustCompile(`(?m)^- \[ \] .*\n {2,}\S`).MatchString(md) {
		t.Error("a checklist item spans lines")
	}
	if strings.Contains(md, "<p>") || strings.Contains(md, "<li>") {
		t.Error("markdown contains HTML")
	}
}

// testEveryDocument renders the sheet of every document and the checklist of every procedure:
// each sheet has the sections of its source, and each checklist documents to tick.
func testEveryDocument(t *testing.T, srv http.Handler) {
	w := do(t, srv, "GET", "/v1/documents?limit=500", "", nil)
	var list struct {
		Documents []struct{ ID, Kind string } `json:"documents"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list.Documents) == 0 {
		t.Fatalf("list documents: %v %s", err, trim(w.Body.String()))
	}
	for _, d := range list.Documents {
		sheet := do(t, srv, "GET", "/tra-cuu/"+d.ID, "", nil)
		if sheet.Code != 200 || strings.Count(sheet.Body.String(), `class="sheet-section"`) < 3 {
			t.Errorf("%s: sheet status %d with %d sections", d.ID, sheet.Code, strings.Count(sheet.Body.String(), `class="sheet-section"`))
		}
		if d.Kind != "procedure" {
			continue
		}
		cl := do(t, srv, "GET", "/checklist/"+d.ID, "", nil)
		body := cl.Body.String()
		if cl.Code != 200 || !strings.Contains(body, `<input type="checkbox">`) || !strings.Contains(body, `class="channel"`) {
			t.Errorf("%s: checklist status %d without documents to tick or channels", d.ID, cl.Code)
		}
		md := do(t, srv, "GET", "/checklist/"+d.ID+"?format=md", "", nil)
		if md.Code != 200 || !strings.Contains(md.Body.String(), "- [ ] ") {
			t.Errorf("%s: markdown checklist status %d without items", d.ID, md.Code)
		}
	}
}
