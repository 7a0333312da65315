package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/web"
	"golang.org/x/text/unicode/norm"
)

// lookupSheet is a small procedure sheet of our own for the lookup tests.
func lookupSheet(id, code, title, level, agency, extra string) string {
	return "---\nid: " + id + "\ncode: \"" + code + "\"\ntitle: " + title + "\nkind: procedure\nfield: Nuôi ong mật" +
		"\nlevel: " + level + "\nagency: \"" + agency + "\"\nsource_url: https://dichvucong.gov.vn/" + id +
		"\nas_of: 2025-07-01\n---\n# " + title + "\n\n" + title + " cho hộ nuôi ong trong vùng.\n\n" +
		"## Thời hạn giải quyết\n\n- 5 ngày làm việc.\n" + extra
}

// lookupRegulation is a short regulation of our own with three articles.
const lookupRegulation = `---
id: luat-mau-nuoi-ong
kind: regulation
code: "99/2099/QH99"
title: Luật Mẫu về nuôi ong
level: Cấp bộ
agency: Quốc hội
source_url: https://vbpl.vn/
as_of: 2025-07-01
---
# Luật Mẫu về nuôi ong

Một luật mẫu, viết cho các phép thử, về việc nuôi ong mật.

## Điều 1. Phạm vi điều chỉnh

Luật này nói về tổ ong, thùng ong và người nuôi ong.

## Điều 2. Đăng ký đàn ong

Người nuôi từ mười thùng ong trở lên khai báo với Ủy ban nhân dân cấp xã.

## Điều 3. Hiệu lực

Luật có hiệu lực từ ngày ký.
`

// lookupServer is a server over 30 sheets of our own: 24 numbered ones for paging, with the
// agencies "Công an cấp xã", "Công an tỉnh, Công an cấp xã" and "Ủy ban nhân dân cấp xã"
// spelled several ways, one at the level "Cơ quan khác", one code at two levels (one of them
// also at a level of its own) and in a catalog record, a procedure citing the regulation, and
// the regulation itself.
func lookupServer(t *testing.T) http.Handler {
	t.Helper()
	xa, xaLower, xaSpaced, xaNFD, xaUpper := "Công an cấp Xã", "Công an cấp xã", "Công an  cấp xã.", norm.NFD.String("Công an cấp xã"), " công an cấp XÃ "
	both, bothSwapped := "Công an tỉnh, Công an cấp Xã", "Công an cấp xã, Công an tỉnh"
	ubnd, ubndOld := "Ủy ban nhân dân cấp xã", "Uỷ ban nhân dân cấp xã"
	agencies := []string{ // of mau-01 … mau-24
		xa, xa, xa, xaLower, xaSpaced, xa, xaNFD, xa, xaLower, xaUpper, xa, xa, xaLower, xa,
		both, both, both, both, bothSwapped, bothSwapped, ubndOld, ubndOld, ubnd, ubnd,
	}
	sheets := map[string]string{}
	for i, agency := range agencies {
		id := fmt.Sprintf("mau-%02d", i+1)
		sheets[id+".md"] = lookupSheet(id, fmt.Sprintf("9.9000%02d", i+1), fmt.Sprintf("Khai báo thùng ong mẫu số %02d", i+1), "Cấp xã", agency, "")
	}
	sheets["khac.md"] = lookupSheet("khac", "9.900050", "Xác nhận giống ong nhập khẩu", "Cơ quan khác", "Trung tâm giống ong", "")
	sheets["cap-xa.md"] = lookupSheet("cap-xa", "9.900060", "Cấp giấy chứng nhận trại ong", "Cấp xã", "Ủy ban nhân dân cấp xã", "")
	sheets["cap-tinh.md"] = lookupSheet("cap-tinh", "9.900060", "Cấp giấy chứng nhận trại ong", "Cấp tỉnh, Đơn vị  sự nghiệp", "Sở Nông nghiệp", "")
	sheets["9.900060.md"] = lookupSheet("9.900060", "9.900060", "Cấp giấy chứng nhận trại ong", "Cấp bộ", "Bộ Nông nghiệp.", "") // a catalog record
	sheets["di-chuyen.md"] = lookupSheet("di-chuyen", "9.900070", "Thông báo di chuyển đàn ong theo mùa hoa", "Cấp xã", "Ủy ban nhân dân cấp xã",
		"\n## Căn cứ pháp lý\n\n- Điều 2 Luật Mẫu về nuôi ong số 99/2099/QH99.\n- Luật Mẫu về nuôi ong 99/2099/QH99, Điều 3 và Điều 9.\n- Nghị định 1/2099/NĐ-CP về ong.\n")
	sheets["luat-mau-nuoi-ong.md"] = lookupRegulation
	dir := t.TempDir()
	for name, content := range sheets {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := pgtest.MustOpen(t)
	emb := ingesttest.Embedder(t)
	r := &ingest.Runner{DB: db, Embedder: emb}
	if _, err := r.Ingest(context.Background(), []string{dir}, ingest.Options{}); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		t.Fatal(err)
	}
	searcher := retrieval.NewSearcher(db, emb, lex, nil)
	return web.New(web.Config{ChatPerMinute: -1}, db, searcher, chat.New(chat.Config{Searcher: searcher, DB: db}), nil)
}

// TestLookup checks the officer lookup over sheets of its own.
func TestLookup(t *testing.T) {
	srv := lookupServer(t)
	tests := []struct {
		name, path string
		status     int
		contains   []string
		lacks      []string
		// results are the ids the page lists, in order, when set; first, the ids it begins with.
		results, first []string
	}{
		// One menu entry per agency, under its most common spelling, counting all spellings.
		{name: "agency menu", path: "/tra-cuu", status: 200, contains: []string{
			`<option value="Công an cấp Xã">Công an cấp Xã (14)</option>`,
			`<option value="Công an tỉnh, Công an cấp Xã">Công an tỉnh, Công an cấp Xã (6)</option>`,
			`<option value="Ủy ban nhân dân cấp xã">Ủy ban nhân dân cấp xã (6)</option>`,
			`<option value="Bộ Nông nghiệp">Bộ Nông nghiệp (1)</option>`, // its full stop tidied away
		}, lacks: []string{`<option value="Công an cấp xã">`, `value="Công an cấp xã, Công an tỉnh"`, `value="Uỷ ban nhân dân cấp xã"`}},
		{name: "agency filter matches every spelling", path: "/tra-cuu?kind=procedure&agency=C%C3%B4ng+an+c%E1%BA%A5p+X%C3%A3&page=1", status: 200,
			contains: []string{"14 thủ tục", `<option value="Công an cấp Xã" selected>`}, lacks: []string{"mau-21", "cap-xa"}},
		{name: "agency filter in another spelling", path: "/tra-cuu?agency=" + "c%C3%B4ng%20an%20%20c%E1%BA%A5p%20x%C3%A3.", status: 200,
			contains: []string{"14 tài liệu", `<option value="Công an cấp Xã" selected>`}},
		{name: "agency filter of a search", path: "/tra-cuu?q=th%C3%B9ng+ong&agency=%E1%BB%A6y+ban+nh%C3%A2n+d%C3%A2n+c%E1%BA%A5p+x%C3%A3", status: 200,
			contains: []string{`href="/tra-cuu/mau-21"`, `href="/tra-cuu/mau-23"`, `href="/tra-cuu/cap-xa"`}, lacks: []string{`href="/tra-cuu/mau-01"`}},
		// Browsing pages through every document, 20 to a page, with the total counted in the store.
		{name: "browse first page", path: "/tra-cuu?kind=procedure", status: 200, contains: []string{
			"Trang 1/2 — 29 thủ tục", `href="/tra-cuu?kind=procedure&amp;page=2" rel="next"`, `<span aria-current="page">1</span>`,
		}, lacks: []string{`rel="prev"`}, results: []string{
			"9.900060", "cap-tinh", "cap-xa", "mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06", "mau-07",
			"mau-08", "mau-09", "mau-10", "mau-11", "mau-12", "mau-13", "mau-14", "mau-15", "mau-16", "mau-17"}},
		{name: "browse last page", path: "/tra-cuu?kind=procedure&page=2", status: 200, contains: []string{
			"Trang 2/2 — 29 thủ tục", `href="/tra-cuu?kind=procedure" rel="prev"`,
		}, lacks: []string{`rel="next"`}, results: []string{
			"mau-18", "mau-19", "mau-20", "mau-21", "mau-22", "mau-23", "mau-24", "di-chuyen", "khac"}},
		{name: "browse every kind", path: "/tra-cuu", status: 200, contains: []string{"Trang 1/2 — 30 tài liệu"}},
		{name: "browse past the end", path: "/tra-cuu?kind=procedure&page=7", status: 200, contains: []string{
			"Trang 7/2 — 29 thủ tục", "chỉ có 2 trang", `href="/tra-cuu?kind=procedure&amp;page=2" rel="prev"`}, results: []string{}},
		{name: "browse one page", path: "/tra-cuu?kind=regulation", status: 200, contains: []string{"1 văn bản"}, lacks: []string{"Trang 1/", `class="pager"`}},
		{name: "bad page", path: "/tra-cuu?page=0", status: 400, contains: []string{`role="alert"`, "Số trang"}},
		{name: "page not a number", path: "/tra-cuu?page=hai", status: 400, contains: []string{"Số trang"}},
		// A search pages through its results, the links keeping the query and the filters.
		{name: "search pages", path: "/tra-cuu?q=khai+b%C3%A1o+th%C3%B9ng+ong&level=xa", status: 200, contains: []string{
			"Trang 1/2 — ", " kết quả cho “khai báo thùng ong”", `href="/tra-cuu?level=xa&amp;page=2&amp;q=khai%20b%C3%A1o%20th%C3%B9ng%20ong" rel="next"`,
		}},
		{name: "search second page", path: "/tra-cuu?q=khai+b%C3%A1o+th%C3%B9ng+ong&level=xa&page=2", status: 200, contains: []string{
			"Trang 2/2 — ", `href="/tra-cuu?level=xa&amp;q=khai%20b%C3%A1o%20th%C3%B9ng%20ong" rel="prev"`,
		}},
		// Levels by name, never by key: the known ones, and others as the documents name them.
		{name: "level names", path: "/tra-cuu?level=co-quan-khac", status: 200, contains: []string{
			`<option value="co-quan-khac" selected>Cơ quan khác (1)</option>`, `<option value="xa">Cấp xã (26)</option>`,
			`<option value="don-vi-su-nghiep">Đơn vị sự nghiệp (1)</option>`, "1 tài liệu", `href="/tra-cuu/khac"`,
		}, lacks: []string{">co-quan-khac", ">don-vi-su-nghiep"}},
		{name: "level by name", path: "/tra-cuu?level=C%C6%A1+quan+kh%C3%A1c", status: 200, contains: []string{
			`<option value="co-quan-khac" selected>Cơ quan khác (1)</option>`, "1 tài liệu"}},
		// The table of contents numbers articles by their own numbers, not by list position.
		{name: "regulation contents", path: "/tra-cuu/luat-mau-nuoi-ong", status: 200, contains: []string{
			`<summary>Mục lục (4 mục)</summary>`,
			`<ul><li><a href="#overview">Giới thiệu</a></li><li><a href="#article-1">Điều 1. Phạm vi điều chỉnh</a></li><li><a href="#article-2">Điều 2. Đăng ký đàn ong</a></li>`,
		}, lacks: []string{`<details class="toc" open>
  <summary>Mục lục (4 mục)</summary>
  <ol>`}},
		// A query that is just a code lists the documents with that code, at all their levels,
		// and nothing else; a query that contains one shows its documents first.
		{name: "just a code", path: "/tra-cuu?q=9.900060", status: 200, contains: []string{"3 kết quả cho “9.900060”"},
			results: []string{"cap-tinh", "cap-xa", "9.900060"}}, // sheets before the catalog record
		{name: "just a code with words for it", path: "/tra-cuu?q=m%C3%A3+s%E1%BB%91+9.900060.", status: 200, results: []string{"cap-tinh", "cap-xa", "9.900060"}},
		{name: "just a code with a filter", path: "/tra-cuu?q=9.900060&level=tinh", status: 200, results: []string{"cap-tinh"}},
		{name: "just a regulation's number", path: "/tra-cuu?q=99/2099/qh99", status: 200, results: []string{"luat-mau-nuoi-ong"}},
		{name: "a code in a query", path: "/tra-cuu?q=th%C3%B4ng+b%C3%A1o+di+chuy%E1%BB%83n+%C4%91%C3%A0n+ong+9.900050", status: 200,
			first: []string{"khac", "di-chuyen"}},
		{name: "a code no document has", path: "/tra-cuu?q=1/2099/N%C4%90-CP", status: 200, first: []string{"di-chuyen"}},
		// A legal basis links the regulations it names that are loaded, and their articles.
		{name: "legal basis links", path: "/tra-cuu/di-chuyen", status: 200, contains: []string{
			`<li><a href="/tra-cuu/luat-mau-nuoi-ong#article-2">Điều 2</a> Luật Mẫu về nuôi ong số <a href="/tra-cuu/luat-mau-nuoi-ong">99/2099/QH99</a>.</li>`,
			`<li>Luật Mẫu về nuôi ong <a href="/tra-cuu/luat-mau-nuoi-ong">99/2099/QH99</a>, <a href="/tra-cuu/luat-mau-nuoi-ong#article-3">Điều 3</a> và Điều 9.</li>`, // no article 9
			`<li>Nghị định 1/2099/NĐ-CP về ong.</li>`, // not loaded
			`<li><a href="/tra-cuu/luat-mau-nuoi-ong">Luật Mẫu về nuôi ong</a> (99/2099/QH99)</li>`,
		}},
		{name: "article anchor", path: "/tra-cuu/luat-mau-nuoi-ong", status: 200, contains: []string{`id="article-2"`}},
		{name: "unknown agency", path: "/tra-cuu?agency=Kh%C3%B4ng+c%C3%B3", status: 200, contains: []string{"0 tài liệu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, srv, "GET", tt.path, "", nil)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, trim(body))
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body lacks %q\n%s", c, pagerOf(body))
				}
			}
			for _, c := range tt.lacks {
				if strings.Contains(body, c) {
					t.Errorf("body has %q", c)
				}
			}
			if got := resultIDs(body); len(got) < len(tt.first) || strings.Join(got[:len(tt.first)], " ") != strings.Join(tt.first, " ") {
				t.Errorf("results %v, want them to begin with %v", got, tt.first)
			}
			if tt.results != nil {
				if got := resultIDs(body); strings.Join(got, " ") != strings.Join(tt.results, " ") {
					t.Errorf("results %v, want %v", got, tt.results)
				}
			}
		})
	}
}

// pagerOf returns the count line and the pager of a lookup page, for failures.
func pagerOf(body string) string {
	var b strings.Builder
	if i := strings.Index(body, `<p class="count"`); i >= 0 {
		b.WriteString(body[i : i+strings.Index(body[i:], "</p>")])
	}
	if i := strings.Index(body, `<nav class="pager"`); i >= 0 {
		b.WriteString(body[i : i+strings.Index(body[i:], "</nav>")])
	}
	return b.String()
}

var resultLink = regexp.MustCompile(`<h2><a href="/tra-cuu/([^"#]+)">`)

// resultIDs returns the ids of the results a lookup page lists, in order.
func resultIDs(body string) []string {
	ids := []string{}
	for _, m := range resultLink.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}
