package web

import (
	"strings"
	"testing"

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
