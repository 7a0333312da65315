package web

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// markdown renders sheet Markdown. It is goldmark with GFM and without html.WithUnsafe, so raw
// HTML in a source is dropped and dangerous link schemes are not rendered: the pages can mark
// its output as safe HTML.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// sheetSection is one section of a document (the overview or one ## heading), ready to render.
type sheetSection struct {
	Key     string // canonical section, thutuc.Section*
	Heading string // as written; "" for the overview
	Article string // "20" for "Điều 20. …" in a regulation
	Anchor  string // fragment id on the sheet page: documents, fees, article-20, …
	Source  string // Markdown of the section body, without its heading
	HTML    template.HTML
}

// mdBlock is one top-level block of a section: a ### sub-heading, a list or a paragraph.
type mdBlock struct {
	Kind    string // heading, list, para
	Ordered bool   // for lists
	Text    string // heading text
	HTML    template.HTML
	Source  string // the block's Markdown on one line (paragraphs)
	Items   []mdItem
}

// mdItem is one list item. Channel is set for a per-channel fact ("**Trực tiếp**: …"), and
// Rest/RestSource then hold what follows the channel name.
type mdItem struct {
	HTML       template.HTML
	Source     string // Markdown of the item on one line, without the list marker
	Channel    string
	Rest       template.HTML
	RestSource string
	Note       bool // on a checklist: a note ("Ghi chú: …", "Ví dụ: …"), not a document to bring
}

var (
	articleHeading = regexp.MustCompile(`^(?i)điều\s+(\d+[a-zđ]?)\b`)
	channelItem    = regexp.MustCompile(`(?s)^\*\*([^*]+)\*\*\s*:\s*(.*)$`)
	listMarker     = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,9}[.)])\s+`)
)

// sheetSections cuts a document's Markdown body into its sections (the overview, then one per
// ## heading). The body is rendered rather than the chunks because chunks join blocks with
// single newlines, which Markdown may read as one paragraph; the chunks still say which
// canonical section a heading is, as search and citations know it.
func sheetSections(doc *thutuc.Document) []sheetSection {
	src := []byte(doc.Body)
	cuts, overview := cutSections(src)
	var out []sheetSection
	if overview != "" {
		out = append(out, sheetSection{Key: thutuc.SectionOverview, Source: overview})
	}
	known := map[string]thutuc.Chunk{}
	for _, c := range doc.Chunks {
		if _, ok := known[c.Heading]; !ok {
			known[c.Heading] = c
		}
	}
	for i, c := range cuts {
		end := len(src)
		if i+1 < len(cuts) {
			end = cuts[i+1].start
		}
		sec := sheetSection{Heading: c.heading, Source: strings.TrimSpace(string(src[c.end:end]))}
		sec.Key, sec.Article = classifySection(doc.Kind, c.heading, known)
		out = append(out, sec)
	}
	seen := map[string]int{}
	for i := range out {
		a := sectionAnchor(out[i].Key, out[i].Article, out[i].Heading)
		if seen[a]++; seen[a] > 1 {
			a = fmt.Sprintf("%s-%d", a, seen[a])
		}
		out[i].Anchor = a
		out[i].HTML = renderMarkdown(out[i].Source)
	}
	return out
}

// cut is a ## heading of a body: its text and the byte range of its line. The section's body
// runs from end to the next cut's start.
type cut struct {
	heading    string
	start, end int
}

// cutSections finds the ## headings of a body and returns them with the overview: the text
// before the first of them, without the # title.
func cutSections(src []byte) (cuts []cut, overview string) {
	root := markdown.Parser().Parse(text.NewReader(src))
	titleStart, titleEnd := -1, -1
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level > 2 {
			continue
		}
		start, end, ok := lineRange(h, src)
		switch {
		case !ok:
		case h.Level == 2:
			cuts = append(cuts, cut{heading: ingest.HeadingText(h, src), start: start, end: end})
		case titleStart < 0 && len(cuts) == 0:
			titleStart, titleEnd = start, end
		}
	}
	overviewEnd := len(src)
	if len(cuts) > 0 {
		overviewEnd = cuts[0].start
	}
	ov := string(src[:overviewEnd])
	if titleStart >= 0 {
		ov = string(src[:titleStart]) + string(src[titleEnd:overviewEnd])
	}
	return cuts, strings.TrimSpace(ov)
}

// classifySection returns the canonical section (and article) of a ## heading: as the stored
// chunks say, else by the sheet rules.
func classifySection(kind, heading string, known map[string]thutuc.Chunk) (section, article string) {
	if ch, ok := known[heading]; ok {
		return ch.Section, ch.Article
	}
	if m := articleHeading.FindStringSubmatch(vntext.Normalize(heading)); m != nil && kind == thutuc.KindRegulation {
		return thutuc.SectionArticle, m[1]
	}
	return ingest.SectionName(heading), ""
}

// sectionAnchor is the fragment id of a section on the sheet page. Search results link to it
// without loading the sheet, so it depends on the section alone: the canonical name
// (legal_basis → legal-basis), article-N for an article, muc-<folded heading> for others.
func sectionAnchor(key, article, heading string) string {
	switch {
	case key == thutuc.SectionArticle && article != "":
		return "article-" + strings.ToLower(article)
	case key == thutuc.SectionOther || key == "":
		slug := strings.ReplaceAll(vntext.Key(heading), " ", "-")
		if slug == "" {
			return "muc"
		}
		return "muc-" + slug
	}
	return strings.ReplaceAll(key, "_", "-")
}

// lineRange returns the byte range of the source lines of a block node, from the start of its
// first line to the end of its last line (newline included).
func lineRange(n ast.Node, src []byte) (start, end int, ok bool) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return 0, 0, false
	}
	start, end = lines.At(0).Start, lines.At(lines.Len()-1).Stop
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	for end < len(src) && src[end-1] != '\n' {
		end++
	}
	return start, end, true
}

// blockSource returns the Markdown of a block node and its descendants on one line.
func blockSource(n ast.Node, src []byte) string {
	var parts []string
	var visit func(ast.Node)
	visit = func(m ast.Node) {
		if m.Type() == ast.TypeBlock {
			lines := m.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				parts = append(parts, strings.TrimSpace(string(seg.Value(src))))
			}
		}
		for c := m.FirstChild(); c != nil; c = c.NextSibling() {
			visit(c)
		}
	}
	visit(n)
	return strings.TrimSpace(listMarker.ReplaceAllString(strings.Join(parts, " "), ""))
}

// plainText returns the text of a node without Markdown markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := m.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for c := t.FirstChild(); c != nil; c = c.NextSibling() {
				if tx, ok := c.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// renderMarkdown renders Markdown to HTML with the safe renderer.
func renderMarkdown(md string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		// goldmark only fails when the writer does; a bytes.Buffer does not.
		return template.HTML(template.HTMLEscapeString(md))
	}
	return template.HTML(buf.String()) // #nosec: goldmark without WithUnsafe escapes raw HTML
}

// renderInline renders a Markdown fragment that forms one paragraph, without the <p>.
func renderInline(md string) template.HTML {
	h := strings.TrimSpace(string(renderMarkdown(md)))
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = h[len("<p>") : len(h)-len("</p>")]
	}
	return template.HTML(h)
}

// sectionBlocks parses a section's Markdown into its top-level blocks, with list items rendered
// one by one (for checkboxes and per-channel facts).
func sectionBlocks(md string) []mdBlock {
	src := []byte(md)
	root := markdown.Parser().Parse(text.NewReader(src))
	var out []mdBlock
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch t := n.(type) {
		case *ast.Heading:
			out = append(out, mdBlock{Kind: "heading", Text: plainText(t, src), Source: blockSource(t, src)})
		case *ast.List:
			b := mdBlock{Kind: "list", Ordered: t.IsOrdered()}
			for it := t.FirstChild(); it != nil; it = it.NextSibling() {
				b.Items = append(b.Items, listItem(it, src))
			}
			out = append(out, b)
		default:
			var buf bytes.Buffer
			_ = markdown.Renderer().Render(&buf, src, n)
			out = append(out, mdBlock{Kind: "para", HTML: template.HTML(buf.String()), Source: blockSource(n, src)})
		}
	}
	return out
}

func listItem(it ast.Node, src []byte) mdItem {
	var buf bytes.Buffer
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		_ = markdown.Renderer().Render(&buf, src, c)
	}
	item := mdItem{HTML: template.HTML(strings.TrimSpace(buf.String())), Source: blockSource(it, src)}
	if m := channelItem.FindStringSubmatch(item.Source); m != nil {
		item.Channel = strings.TrimSpace(m[1])
		item.RestSource = strings.TrimSpace(m[2])
		item.Rest = renderInline(item.RestSource)
	}
	return item
}

// items returns every list item of the blocks, in order.
func items(blocks []mdBlock) []mdItem {
	var out []mdItem
	for _, b := range blocks {
		out = append(out, b.Items...)
	}
	return out
}

// regulationSymbolPattern is a regulation's number and symbol as legal texts write it:
// 68/2020/QH14, 07/2023/NQ-HĐND, 66.7/2025/NQ-CP.
const regulationSymbolPattern = `\d{1,4}(?:\.\d{1,3})?/\d{4}/\p{Lu}[\p{Lu}\d]*(?:-[\p{Lu}\d]+)*`

var (
	regulationSymbol = regexp.MustCompile(regulationSymbolPattern)
	// articleMention is "Điều 38" in a legal-basis line; the letter before it is checked apart.
	articleMention = regexp.MustCompile(`[Đđ]iều\s+(\d+[a-zđ]?)`)
)

// regulationSymbols returns the numbers and symbols a regulation goes by: its code and those
// its title and aliases give.
func regulationSymbols(r postgres.Regulation) []string {
	var out []string
	for _, s := range append([]string{r.Code, r.Title}, r.Aliases...) {
		for _, sym := range regulationSymbol.FindAllString(strings.ToUpper(s), -1) {
			if !slices.Contains(out, sym) {
				out = append(out, sym)
			}
		}
	}
	return out
}

// citedRegulation is a stored regulation a legal basis names, with its articles.
type citedRegulation struct {
	postgres.Regulation
	Articles map[string]bool
}

// citedRegulations are the cited regulations by the symbol the text names them by.
type citedRegulations map[string]*citedRegulation

// summaries returns each cited regulation once, ordered by title, for the related list.
func (c citedRegulations) summaries() []thutuc.DocumentSummary {
	var out []thutuc.DocumentSummary
	seen := map[string]bool{}
	for _, r := range c {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, thutuc.DocumentSummary{ID: r.ID, Kind: thutuc.KindRegulation, Code: r.Code, Title: r.Title})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Title < out[j].Title || out[i].Title == out[j].Title && out[i].ID < out[j].ID
	})
	return out
}

// linkLegalBasis links, in the Markdown of a legal basis, each number and symbol of a cited
// regulation to its page, and each "Điều N" beside one to that article when the regulation has
// it: the nearest symbol after the mention ("Điều 38 Luật Cư trú số 68/2020/QH14"), else the
// nearest before ("Luật … 68/2020/QH14, Điều 38"). Lines with links, code or HTML of their
// own are kept as they are.
func linkLegalBasis(md string, cited citedRegulations) string {
	lines := strings.Split(md, "\n")
	for i, line := range lines {
		if strings.ContainsAny(line, "[]`<") {
			continue
		}
		lines[i] = linkLegalLine(line, cited)
	}
	return strings.Join(lines, "\n")
}

func linkLegalLine(line string, cited citedRegulations) string {
	type link struct {
		start, end int
		url        string
	}
	type symbolAt struct {
		start int
		reg   *citedRegulation
	}
	var links []link
	var symbols []symbolAt
	for _, m := range regulationSymbol.FindAllStringIndex(line, -1) {
		if r := cited[line[m[0]:m[1]]]; r != nil {
			links = append(links, link{m[0], m[1], "/tra-cuu/" + r.ID})
			symbols = append(symbols, symbolAt{m[0], r})
		}
	}
	if len(symbols) == 0 {
		return line
	}
	for _, m := range articleMention.FindAllStringSubmatchIndex(line, -1) {
		if r, _ := utf8.DecodeLastRuneInString(line[:m[0]]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		var reg *citedRegulation
		for _, s := range symbols { // the nearest after, else the nearest before
			if s.start > m[0] {
				reg = s.reg
				break
			}
			reg = s.reg
		}
		article := strings.ToLower(line[m[2]:m[3]])
		if reg.Articles[article] {
			links = append(links, link{m[0], m[1], "/tra-cuu/" + reg.ID + "#" + sectionAnchor(thutuc.SectionArticle, article, "")})
		}
	}
	sort.Slice(links, func(i, j int) bool { return links[i].start < links[j].start })
	var b strings.Builder
	at := 0
	for _, l := range links {
		if l.start < at {
			continue
		}
		b.WriteString(line[at:l.start])
		b.WriteString("[" + line[l.start:l.end] + "](" + l.url + ")")
		at = l.end
	}
	b.WriteString(line[at:])
	return b.String()
}

// viDate formats a YYYY-MM-DD date as dd/mm/yyyy; anything else is returned as it is.
func viDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// sectionLabels names the canonical sections in Vietnamese, for headings the sheet lacks.
var sectionLabels = map[string]string{
	thutuc.SectionOverview:   "Giới thiệu",
	thutuc.SectionDocuments:  "Thành phần hồ sơ",
	thutuc.SectionFees:       "Phí, lệ phí",
	thutuc.SectionDeadline:   "Thời hạn giải quyết",
	thutuc.SectionSteps:      "Trình tự thực hiện",
	thutuc.SectionChannels:   "Cách thức thực hiện",
	thutuc.SectionAgency:     "Cơ quan thực hiện",
	thutuc.SectionApplicants: "Đối tượng thực hiện",
	thutuc.SectionConditions: "Yêu cầu, điều kiện",
	thutuc.SectionResult:     "Kết quả thực hiện",
	thutuc.SectionLegalBasis: "Căn cứ pháp lý",
	thutuc.SectionForms:      "Mẫu đơn, tờ khai",
}

// sectionLabel is the human label of a section: "Điều N" for an article, else its heading or
// the canonical name.
func sectionLabel(key, article, heading string) string {
	switch {
	case key == thutuc.SectionArticle && article != "":
		if heading != "" {
			return heading
		}
		return "Điều " + article
	case heading != "":
		return heading
	}
	if l, ok := sectionLabels[key]; ok {
		return l
	}
	return key
}

// levelNames names the level keys of the facets; the names the documents give other keys
// (postgres.LevelNames) name those.
var levelNames = map[string]string{"bo": "Cấp bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã", "huyen": "Cấp huyện", "co-quan-khac": "Cơ quan khác"}

// kindNames names the document kinds.
var kindNames = map[string]string{thutuc.KindProcedure: "Thủ tục", thutuc.KindRegulation: "Văn bản pháp luật"}

// localityNames names the province slugs sheets use; others are shown as they are.
var localityNames = map[string]string{
	"ha-noi": "Hà Nội", "ho-chi-minh": "TP. Hồ Chí Minh", "tp-ho-chi-minh": "TP. Hồ Chí Minh",
	"hai-phong": "Hải Phòng", "da-nang": "Đà Nẵng", "can-tho": "Cần Thơ", "hue": "Huế",
}

// localityName names a province slug.
func localityName(slug string) string {
	if n, ok := localityNames[slug]; ok {
		return n
	}
	return slug
}
