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

// lookupServer is a server over 29 sheets of our own: 24 numbered ones for paging, with the
// agencies "Công an cấp xã", "Công an tỉnh, Công an cấp xã" and "Ủy ban nhân dân cấp xã"
// spelled several ways, one at the level "Cơ quan khác", one code at two levels, a procedure
// citing the regulation, and the regulation itself.
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
	sheets["cap-tinh.md"] = lookupSheet("cap-tinh", "9.900060", "Cấp giấy chứng nhận trại ong", "Cấp tỉnh", "Sở Nông nghiệp", "")
	sheets["di-chuyen.md"] = lookupSheet("di-chuyen", "9.900070", "Thông báo di chuyển đàn ong theo mùa hoa", "Cấp xã", "Ủy ban nhân dân cấp xã",
		"\n## Căn cứ pháp lý\n\n- Điều 2 Luật Mẫu về nuôi ong số 99/2099/QH99.\n- Luật Mẫu về nuôi ong 99/2099/QH99, Điều 9.\n- Nghị định 1/2099/NĐ-CP về ong.\n")
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
		// results are the ids the page lists, in order, when set.
		results []string
	}{
		// One menu entry per agency, under its most common spelling, counting all spellings.
		{name: "agency menu", path: "/tra-cuu", status: 200, contains: []string{
			`<option value="Công an cấp Xã">Công an cấp Xã (14)</option>`,
			`<option value="Công an tỉnh, Công an cấp Xã">Công an tỉnh, Công an cấp Xã (6)</option>`,
			`<option value="Ủy ban nhân dân cấp xã">Ủy ban nhân dân cấp xã (6)</option>`,
		}, lacks: []string{`<option value="Công an cấp xã">`, `value="Công an cấp xã, Công an tỉnh"`, `value="Uỷ ban nhân dân cấp xã"`}},
		{name: "agency filter matches every spelling", path: "/tra-cuu?kind=procedure&agency=C%C3%B4ng+an+c%E1%BA%A5p+X%C3%A3&page=1", status: 200,
			contains: []string{"14 tài liệu", `<option value="Công an cấp Xã" selected>`}, lacks: []string{"mau-21", "cap-xa"}},
		{name: "agency filter in another spelling", path: "/tra-cuu?agency=" + "c%C3%B4ng%20an%20%20c%E1%BA%A5p%20x%C3%A3.", status: 200,
			contains: []string{"14 tài liệu", `<option value="Công an cấp Xã" selected>`}},
		{name: "agency filter of a search", path: "/tra-cuu?q=th%C3%B9ng+ong&agency=%E1%BB%A6y+ban+nh%C3%A2n+d%C3%A2n+c%E1%BA%A5p+x%C3%A3", status: 200,
			contains: []string{`href="/tra-cuu/mau-21"`, `href="/tra-cuu/mau-23"`, `href="/tra-cuu/cap-xa"`}, lacks: []string{`href="/tra-cuu/mau-01"`}},
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
					t.Errorf("body lacks %q", c)
				}
			}
			for _, c := range tt.lacks {
				if strings.Contains(body, c) {
					t.Errorf("body has %q", c)
				}
			}
			if tt.results != nil {
				if got := resultIDs(body); strings.Join(got, " ") != strings.Join(tt.results, " ") {
					t.Errorf("results %v, want %v", got, tt.results)
				}
			}
		})
	}
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
