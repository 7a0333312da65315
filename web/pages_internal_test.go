package web

import (
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		text    string
		phrases [][]string
		want    string // hits in [brackets]
	}{
		{"Cấp hộ chiếu phổ thông.", [][]string{{"ho", "chieu"}}, "Cấp [hộ chiếu] phổ thông."},
		{"Hộ tịch, hộ chiếu.", [][]string{{"ho", "chieu"}}, "Hộ tịch, [hộ chiếu]."},
		{"hộ chiếu phổ thông", [][]string{{"ho", "chieu"}, {"ho", "chieu", "pho", "thong"}}, "[hộ chiếu phổ thông]"},
		{"hộ, chiếu", [][]string{{"ho", "chieu"}}, "hộ, chiếu"}, // punctuation breaks a phrase
		{"Đăng ký xe máy", [][]string{{"xe"}}, "Đăng ký [xe] máy"},
		{"", [][]string{{"xe"}}, ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, p := range highlight(tt.text, tt.phrases) {
			if p.Hit {
				b.WriteString("[" + p.Text + "]")
			} else {
				b.WriteString(p.Text)
			}
		}
		if b.String() != tt.want {
			t.Errorf("highlight(%q) = %q, want %q", tt.text, b.String(), tt.want)
		}
	}
}

func TestCompactJS(t *testing.T) {
	src := "/*! licence */\n(function () {\n  // a comment\n\n  var u = 'http://x'; // kept: inside a line\n  var css = `\n    a{b:c}\n  `;\n})();\n"
	want := "/*! licence */\n(function () {\nvar u = 'http://x'; // kept: inside a line\nvar css = `\na{b:c}\n`;\n})();\n"
	if got := string(compactJS([]byte(src))); got != want {
		t.Errorf("compactJS:\n%s\nwant:\n%s", got, want)
	}
}

func TestSheetSections(t *testing.T) {
	doc := sheetDoc("# Tiêu đề\n\nGiới thiệu ngắn.\n\n## Thành phần hồ sơ\n\n- Tờ khai.\n\n### Trường hợp A\n\n- Giấy A.\n\n## Mục riêng\n\nVăn bản.\n\n## Thành phần hồ sơ\n\n- Lặp lại.\n")
	got := sheetSections(doc)
	var anchors []string
	for _, s := range got {
		anchors = append(anchors, s.Anchor)
	}
	if strings.Join(anchors, " ") != "overview documents muc-muc-rieng documents-2" {
		t.Fatalf("anchors %v", anchors)
	}
	if strings.Contains(got[0].Source, "Tiêu đề") || !strings.Contains(got[0].Source, "Giới thiệu ngắn.") {
		t.Errorf("overview %q: want the intro without the title", got[0].Source)
	}
	blocks := sectionBlocks(got[1].Source)
	if len(blocks) != 3 || blocks[1].Kind != "heading" || blocks[1].Text != "Trường hợp A" || blocks[2].Items[0].Source != "Giấy A." {
		t.Errorf("document blocks %+v", blocks)
	}
}

func TestChannelItems(t *testing.T) {
	blocks := sectionBlocks("- **Trực tiếp**: 200.000 đồng/hộ chiếu;\n  cấp lại: 400.000 đồng.\n- Ghi chú chung.\n")
	it := blocks[0].Items
	if it[0].Channel != "Trực tiếp" || it[0].RestSource != "200.000 đồng/hộ chiếu; cấp lại: 400.000 đồng." || it[1].Channel != "" {
		t.Errorf("items %+v", it)
	}
	if h := string(renderMarkdown("<script>alert(1)</script>\n\n[x](javascript:alert(1))")); strings.Contains(h, "<script>") || strings.Contains(h, "javascript:") {
		t.Errorf("raw HTML or a script link in a source is rendered: %s", h)
	}
}

func sheetDoc(body string) *thutuc.Document {
	return &thutuc.Document{ID: "x", Kind: thutuc.KindProcedure, Body: body}
}

func TestChecklistCases(t *testing.T) {
	const cases = "## Thành phần hồ sơ\n\n- Giấy chung.\n\n### Trường hợp A\n\n- Giấy A.\n- Ví dụ: giấy A1.\n\n" +
		"### b) Trường hợp B\n\n- Giấy B.\n- Ghi chú nguồn: bản ghi gộp bảng.\n- Ghi chú: sổ hộ khẩu không còn giá trị.\n\n### Lưu ý chung\n\n- Lưu ý cho mọi trường hợp.\n"
	tests := []struct {
		name      string
		body      string
		choose    int // 0: none
		err       string
		cases     []string
		headings  []string // of the groups shown, "" for the items before the first heading
		documents []string // items to tick
		notes     []string // items shown as notes
	}{
		{name: "every case", body: cases, cases: []string{"Trường hợp A", "b) Trường hợp B"},
			headings:  []string{"", "Trường hợp A", "b) Trường hợp B", "Lưu ý chung"},
			documents: []string{"Giấy chung.", "Giấy A.", "Giấy B."},
			notes:     []string{"Ví dụ: giấy A1.", "Ghi chú: sổ hộ khẩu không còn giá trị.", "Lưu ý cho mọi trường hợp."}},
		{name: "one case keeps the items before the first heading and the notes", body: cases, choose: 2,
			cases: []string{"Trường hợp A", "b) Trường hợp B"}, headings: []string{"", "b) Trường hợp B", "Lưu ý chung"},
			documents: []string{"Giấy chung.", "Giấy B."},
			notes:     []string{"Ghi chú: sổ hộ khẩu không còn giá trị.", "Lưu ý cho mọi trường hợp."}},
		{name: "a case it does not have", body: cases, choose: 3, err: "Không có trường hợp số 3: thủ tục “T” có 2 trường hợp"},
		{name: "parts everyone brings are not cases",
			body:     "## Thành phần hồ sơ\n\n### Tờ khai\n\n- Tờ khai.\n\n### Giấy tờ phải xuất trình\n\n- Căn cước.\n\n### Khi ủy quyền làm thủ tục\n\n- Văn bản ủy quyền.\n",
			headings: []string{"Tờ khai", "Giấy tờ phải xuất trình", "Khi ủy quyền làm thủ tục"}, documents: []string{"Tờ khai.", "Căn cước.", "Văn bản ủy quyền."}},
		{name: "one case heading is nothing to choose", body: "## Thành phần hồ sơ\n\n- Giấy.\n\n### Trường hợp ủy quyền\n\n- Văn bản.\n\n### Người nước ngoài\n\n- Hộ chiếu.\n",
			headings: []string{"", "Trường hợp ủy quyền", "Người nước ngoài"}, documents: []string{"Giấy.", "Văn bản.", "Hộ chiếu."}},
		{name: "no case to choose", body: "## Thành phần hồ sơ\n\n- Giấy.\n", choose: 1, err: "không chia giấy tờ theo trường hợp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := sheetDoc(tt.body)
			doc.Title = "T"
			cl := newChecklist(doc, time.Now())
			if tt.choose > 0 {
				err := cl.chooseCase(tt.choose)
				if tt.err != "" {
					if err == nil || !strings.Contains(thutuc.ErrorMessage(err), tt.err) || thutuc.ErrorCode(err) != thutuc.EINVALID {
						t.Fatalf("choose %d: %v, want invalid %q", tt.choose, err, tt.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			var cases, headings, documents, notes []string
			for _, c := range cl.Cases {
				cases = append(cases, c.Label)
			}
			for _, g := range cl.Documents {
				headings = append(headings, g.Heading)
				for _, it := range items(g.Blocks) {
					if it.Note {
						notes = append(notes, it.Source)
					} else {
						documents = append(documents, it.Source)
					}
				}
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"cases", cases, tt.cases}, {"headings", headings, tt.headings}, {"documents", documents, tt.documents}, {"notes", notes, tt.notes}} {
				if strings.Join(c.got, "|") != strings.Join(c.want, "|") {
					t.Errorf("%s %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestChecklistLinks(t *testing.T) {
	doc := sheetDoc("## Thành phần hồ sơ\n\n### Trường hợp A\n\n- Tờ khai (mẫu tại https://dichvucong.example.vn/mau-01.docx).\n\n### Trường hợp B\n\n- Giấy B.\n")
	cl := newChecklist(doc, time.Now())
	if h := string(cl.Documents[0].Blocks[0].Items[0].HTML); !strings.Contains(h, `<a href="https://dichvucong.example.vn/mau-01.docx">`) {
		t.Errorf("a form's URL in an item is not a link: %s", h)
	}
	tests := []struct {
		n                                  int
		base                               string
		markdownURL, name, shareURL, qrURL string
	}{
		{0, "", "/checklist/x?format=md", "x.md", "", ""},
		{2, "", "/checklist/x?format=md&truong-hop=2", "x-truong-hop-2.md", "", ""},
		{0, "https://thutuc.example.vn", "/checklist/x?format=md", "x.md", "https://thutuc.example.vn/checklist/x", "/checklist/x/qr.svg"},
		{2, "https://thutuc.example.vn", "/checklist/x?format=md&truong-hop=2", "x-truong-hop-2.md", "https://thutuc.example.vn/checklist/x?truong-hop=2", "/checklist/x/qr.svg?truong-hop=2"},
	}
	for _, tt := range tests {
		cl.setLinks(tt.n, tt.base)
		if cl.MarkdownURL != tt.markdownURL || cl.MarkdownName != tt.name || cl.ShareURL != tt.shareURL || cl.QRURL != tt.qrURL {
			t.Errorf("case %d, base %q: links %q %q %q %q", tt.n, tt.base, cl.MarkdownURL, cl.MarkdownName, cl.ShareURL, cl.QRURL)
		}
	}
	if cl.Cases[1].URL != "/checklist/x?truong-hop=2" {
		t.Errorf("case link %q", cl.Cases[1].URL)
	}
}
