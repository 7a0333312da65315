package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

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
	t.Run("checklist qr", func(t *testing.T) {
		pub := web.New(web.Config{ChatPerMinute: -1, PublicURL: "https://thutuc.example.vn/"}, db, searcher, svc, nil)
		testChecklistQR(t, pub)
	})
	// The checklist says what holds today: a reduced fee that ended, a paper no longer valid.
	t.Run("checklist today", func(t *testing.T) {
		for _, tc := range []struct {
			today time.Time
			ended bool
		}{{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), true}, {time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), false}} {
			at := web.New(web.Config{ChatPerMinute: -1, Now: func() time.Time { return tc.today }}, db, searcher, svc, nil)
			for _, path := range []string{"/checklist/cap-ho-chieu-pho-thong", "/checklist/cap-ho-chieu-pho-thong?format=md"} {
				body := do(t, at, "GET", path, "", nil).Body.String()
				if got := strings.Contains(body, "đã hết hạn áp dụng"); got != tc.ended {
					t.Errorf("%s on %s: says a rule ended %v, want %v", path, tc.today.Format("2006-01-02"), got, tc.ended)
				}
			}
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
		{"checklist offers the cases", "/checklist/dang-ky-thuong-tru", 200, "text/html", []string{
			`class="case-picker`, "Giấy tờ khác nhau theo 7 trường hợp", `href="/checklist/dang-ky-thuong-tru?truong-hop=2"`,
			`<span class="case-number">7</span> Phương tiện dùng để ở</a>`, "<h3>Phương tiện dùng để ở</h3>", // all shown until one is chosen
			`<a class="btn" href="/checklist/dang-ky-thuong-tru?format=md" download="dang-ky-thuong-tru.md">Tải về</a>`,
			`<li class="check-note">Ví dụ: giấy khai sinh`, // an example is a note, not a document
		}, []string{"Tải bản Markdown", "Ghi chú nguồn", `aria-current`, "qr.svg"}},
		{"checklist of one case", "/checklist/dang-ky-thuong-tru?truong-hop=2", 200, "text/html", []string{
			"Trường hợp 2: <strong>Chỗ ở hợp pháp do thuê, mượn, ở nhờ</strong>",
			`<a href="/checklist/dang-ky-thuong-tru?truong-hop=2" aria-current="page">`,
			"Hợp đồng hoặc văn bản cho thuê",                 // the case's documents
			"Tờ khai CT01 được nêu trong nhóm",               // the item before the first heading
			"<h3>Lưu ý chung</h3>", `<ul class="note-list">`, // notes for every case, not to tick
			`href="/checklist/dang-ky-thuong-tru?format=md&amp;truong-hop=2" download="dang-ky-thuong-tru-truong-hop-2.md"`,
			`href="/checklist/dang-ky-thuong-tru">Xem giấy tờ của tất cả trường hợp`,
		}, []string{"<h3>Chỗ ở hợp pháp thuộc quyền sở hữu của mình</h3>", "<h3>Phương tiện dùng để ở</h3>", "Giấy chứng nhận đăng ký phương tiện"}},
		{"checklist of a case it lacks", "/checklist/dang-ky-thuong-tru?truong-hop=9", 400, "text/html", []string{
			"Không có trường hợp số 9: thủ tục “Đăng ký thường trú” có 7 trường hợp, đánh số từ 1 đến 7.",
			`<a class="btn primary" href="/checklist/dang-ky-thuong-tru">Xem danh sách và chọn lại trường hợp</a>`,
		}, nil},
		{"checklist case not a number", "/checklist/dang-ky-thuong-tru?truong-hop=thue", 400, "text/html", []string{"Trường hợp “thue” không phải một số"}, nil},
		{"checklist case of a procedure without cases", "/checklist/cap-ho-chieu-pho-thong?truong-hop=1", 400, "text/html", []string{"không chia giấy tờ theo trường hợp"}, nil},
		{"checklist parts everyone brings are not cases", "/checklist/dang-ky-khai-sinh", 200, "text/html", []string{
			"<h3>Tờ khai</h3>", "<h3>Giấy tờ phải xuất trình</h3>",
		}, []string{`class="case-picker`}},
		{"checklist notes", "/checklist/lien-thong-khai-sinh-thuong-tru-bhyt", 200, "text/html", []string{
			`<li class="check-note">Ghi chú: Sổ hộ khẩu không còn giá trị từ 01/01/2023`,
		}, []string{`<span>Ghi chú:`}},
		{"checklist without source notes", "/checklist/dang-ky-ket-hon", 200, "text/html", nil, []string{"Ghi chú nguồn"}},
		{"checklist markdown of a case it lacks", "/checklist/dang-ky-thuong-tru?format=md&truong-hop=0", 400, "application/json", []string{`"invalid"`, "Không có trường hợp số 0"}, nil},
		{"qr without a public url", "/checklist/dang-ky-thuong-tru/qr.svg", 404, "application/json", []string{"THUTUC_PUBLIC_URL"}, nil},
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

// testChecklistQR checks the QR code of a checklist on a server with a public URL: an SVG image
// of the checklist's absolute URL with its case, shown on the page and named in the download.
func testChecklistQR(t *testing.T, pub http.Handler) {
	const checklist = "https://thutuc.example.vn/checklist/dang-ky-thuong-tru"
	tests := []struct {
		path   string
		status int
		url    string // the URL the code encodes, named in its title
	}{
		{"/checklist/dang-ky-thuong-tru/qr.svg", 200, checklist},
		{"/checklist/dang-ky-thuong-tru/qr.svg?truong-hop=2", 200, checklist + "?truong-hop=2"},
		{"/checklist/dang-ky-thuong-tru/qr.svg?truong-hop=3", 200, checklist + "?truong-hop=3"},
		{"/checklist/dang-ky-thuong-tru/qr.svg?truong-hop=8", 400, ""},
		{"/checklist/khong-co/qr.svg", 404, ""},
	}
	images := map[string]string{}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", tt.path, nil)
		req.Host = "evil.example" // a forged Host header: the code encodes the public URL
		w := httptest.NewRecorder()
		pub.ServeHTTP(w, req)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.path, w.Code, tt.status, trim(w.Body.String()))
			continue
		}
		if tt.status != 200 {
			continue
		}
		if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("%s: Content-Type %q", tt.path, ct)
		}
		var svg struct {
			XMLName xml.Name
			ViewBox string `xml:"viewBox,attr"`
			Title   string `xml:"title"`
			Path    struct {
				D string `xml:"d,attr"`
			} `xml:"path"`
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &svg); err != nil || svg.XMLName.Local != "svg" || svg.ViewBox == "" || len(svg.Path.D) < 100 {
			t.Errorf("%s: not an SVG image of a code (err %v): %s", tt.path, err, trim(w.Body.String()))
		}
		if svg.Title != "Mã QR: "+tt.url {
			t.Errorf("%s: encodes %q, want %q", tt.path, svg.Title, tt.url)
		}
		if strings.Contains(w.Body.String(), "evil.example") {
			t.Errorf("%s: the code takes the Host header", tt.path)
		}
		images[svg.Path.D] = tt.path
	}
	if len(images) != 3 {
		t.Errorf("%d different codes for 3 checklists", len(images))
	}
	page := do(t, pub, "GET", "/checklist/dang-ky-thuong-tru?truong-hop=2", "", nil).Body.String()
	for _, want := range []string{`<img src="/checklist/dang-ky-thuong-tru/qr.svg?truong-hop=2"`, `Danh sách này: <a href="` + checklist + `?truong-hop=2">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the checklist of a case lacks %q", want)
		}
	}
	md := do(t, pub, "GET", "/checklist/dang-ky-thuong-tru?format=md&truong-hop=2", "", nil)
	if got := md.Header().Get("Content-Disposition"); got != `attachment; filename="dang-ky-thuong-tru-truong-hop-2.md"` {
		t.Errorf("download named %q", got)
	}
	for _, want := range []string{"Trường hợp: Chỗ ở hợp pháp do thuê, mượn, ở nhờ\n", "- [ ] Hợp đồng hoặc văn bản cho thuê", "Danh sách này: <" + checklist + "?truong-hop=2>"} {
		if !strings.Contains(md.Body.String(), want) {
			t.Errorf("the markdown of a case lacks %q", want)
		}
	}
	for _, lacks := range []string{"Giấy chứng nhận đăng ký phương tiện", "Ghi chú nguồn", "- [ ] Ví dụ"} {
		if strings.Contains(md.Body.String(), lacks) {
			t.Errorf("the markdown of a case has %q", lacks)
		}
	}
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
