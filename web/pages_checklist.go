package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/plain"
	"github.com/thutuc/thutuc/vntext"
)

// caseParam is the query parameter that chooses a case of the documents section, 1-based.
const caseParam = "truong-hop"

// checklist is the printable summary of one procedure for a coach: what to bring (for the
// household's case, when the documents differ by case), what it costs and how long it takes
// per channel, where to go and the steps.
type checklist struct {
	Doc           *thutuc.Document
	AsOf          string // dd/mm/yyyy, "" when unknown
	Cases         []checklistCase
	Case          *checklistCase // the chosen case; nil: every case is shown
	AllCasesURL   string
	Documents     []documentGroup // of the chosen case, or of every case
	Channels      []channelFacts
	FeeNotes      []mdItem // fee items that name no channel
	DeadlineNotes []mdItem
	Agency        []mdBlock
	ChannelNotes  []mdItem // channel items that name no channel (opening hours, …)
	Steps         []mdBlock
	SheetURL      string
	MarkdownURL   string
	MarkdownName  string // file name of the download
	ShareURL      string // absolute URL of this checklist with its case; "" without a public URL
	QRURL         string // the QR code of ShareURL; "" when there is none
}

// checklistCase is one case the documents section is divided into: a ### heading that is
// one situation among others ("Chỗ ở hợp pháp do thuê, mượn, ở nhờ"), not a part everyone
// brings ("Tờ khai", "Giấy tờ phải xuất trình").
type checklistCase struct {
	Number  int // 1-based, as in ?truong-hop=N
	Label   string
	URL     string // the checklist of this case
	Current bool
}

// documentGroup is the items before the first ### heading, or one heading with its blocks.
type documentGroup struct {
	Heading string
	Case    int  // the case the group is (1-based); 0: it applies to every case
	Notes   bool // a "Lưu ý…" or "Ghi chú…" group: its items are notes, not documents to bring
	Blocks  []mdBlock
}

// channelFacts gathers the per-channel items of one channel ("Trực tiếp", "Trực tuyến", …).
type channelFacts struct {
	Name               string
	How, Fee, Deadline []mdItem
	key                string
}

// Headings of the documents section that are not a case, by the start of their folded text:
// parts every applicant brings, steps done one after the other, an addition for whoever files
// on someone's behalf, and notes.
var (
	sharedHeadings = []string{"to khai", "giay to phai", "giay to can", "ho so chinh", "ho so cua", "thanh phan",
		"khi uy quyen", "truong hop uy quyen", "buoc"}
	noteHeadings = []string{"luu y", "ghi chu"}
	// noteItems start an item that is a note, not a document to bring.
	noteItems = []string{"ghi chu", "luu y", "vi du"}
)

// hasKeyPrefix reports whether s, folded, starts with one of the folded words prefixes.
func hasKeyPrefix(s string, prefixes []string) bool {
	k := vntext.Key(s) + " "
	for _, p := range prefixes {
		if strings.HasPrefix(k, p+" ") {
			return true
		}
	}
	return false
}

// newChecklist builds the checklist of a procedure from its sections, with every case.
func newChecklist(doc *thutuc.Document, today time.Time) *checklist {
	cl := &checklist{
		Doc: doc, AsOf: viDate(doc.AsOf),
		SheetURL: "/tra-cuu/" + doc.ID, AllCasesURL: "/checklist/" + doc.ID,
	}
	blocks := map[string][]mdBlock{}
	for _, sec := range sheetSections(doc) {
		blocks[sec.Key] = append(blocks[sec.Key], withNotes(withoutSourceNotes(sectionBlocks(sec.Source)), sec.Key, today)...)
	}
	cl.Documents = cl.groupDocuments(blocks[thutuc.SectionDocuments])
	cl.Agency = blocks[thutuc.SectionAgency]
	cl.Steps = blocks[thutuc.SectionSteps]
	// The channels section sets the order of the channels; fees and deadlines join it.
	cl.ChannelNotes = cl.addChannelItems(items(blocks[thutuc.SectionChannels]), func(c *channelFacts, it mdItem) { c.How = append(c.How, it) })
	cl.FeeNotes = cl.addChannelItems(items(blocks[thutuc.SectionFees]), func(c *channelFacts, it mdItem) { c.Fee = append(c.Fee, it) })
	cl.DeadlineNotes = cl.addChannelItems(items(blocks[thutuc.SectionDeadline]), func(c *channelFacts, it mdItem) { c.Deadline = append(c.Deadline, it) })
	cl.setLinks(0, "")
	return cl
}

// withNotes adds to each item what holds today, as the chat does (package plain): that a rule's
// end date has passed, and, among the documents, that a paper asked for is no longer valid.
func withNotes(blocks []mdBlock, section string, today time.Time) []mdBlock {
	for i := range blocks {
		for j := range blocks[i].Items {
			it := &blocks[i].Items[j]
			notes := []string{plain.EndedNote(it.Source, today)}
			if section == thutuc.SectionDocuments {
				notes = append(notes, plain.PaperNote(it.Source, today))
			}
			for _, n := range notes {
				if n == "" {
					continue
				}
				html := template.HTML(` <span class="later">(` + template.HTMLEscapeString(n) + `)</span>`)
				it.HTML += html
				it.Source += " _(" + n + ")_"
				if it.Rest != "" {
					it.Rest += html
					it.RestSource += " _(" + n + ")_"
				}
			}
		}
	}
	return blocks
}

// withoutSourceNotes drops the "Ghi chú nguồn: …" items and paragraphs, and lists left empty.
func withoutSourceNotes(blocks []mdBlock) []mdBlock {
	var out []mdBlock
	for _, b := range blocks {
		if b.Kind == "para" && plain.IsSourceNote(b.Source) {
			continue
		}
		if b.Kind == "list" {
			var kept []mdItem
			for _, it := range b.Items {
				if !plain.IsSourceNote(it.Source) {
					kept = append(kept, it)
				}
			}
			if len(kept) == 0 {
				continue
			}
			b.Items = kept
		}
		out = append(out, b)
	}
	return out
}

// groupDocuments cuts the documents section at its ### headings and numbers the cases. With
// fewer than two cases there is nothing to choose, and every group applies to all.
func (cl *checklist) groupDocuments(blocks []mdBlock) []documentGroup {
	var groups []documentGroup
	for _, b := range blocks {
		if b.Kind == "heading" {
			g := documentGroup{Heading: b.Text}
			switch {
			case hasKeyPrefix(b.Text, noteHeadings):
				g.Notes = true
			case !hasKeyPrefix(b.Text, sharedHeadings):
				cl.Cases = append(cl.Cases, checklistCase{Number: len(cl.Cases) + 1, Label: b.Text})
				g.Case = len(cl.Cases)
			}
			groups = append(groups, g)
			continue
		}
		if len(groups) == 0 {
			groups = append(groups, documentGroup{})
		}
		g := &groups[len(groups)-1]
		if b.Kind == "list" {
			for i := range b.Items {
				b.Items[i].Note = g.Notes || hasKeyPrefix(b.Items[i].Source, noteItems)
			}
		}
		g.Blocks = append(g.Blocks, b)
	}
	if len(cl.Cases) < 2 {
		cl.Cases = nil
		for i := range groups {
			groups[i].Case = 0
		}
	}
	return groups
}

// chooseCase keeps the documents of case n (1-based) and those that apply to every case.
func (cl *checklist) chooseCase(n int) error {
	switch {
	case len(cl.Cases) == 0:
		return thutuc.Errorf(thutuc.EINVALID, "Thủ tục “%s” không chia giấy tờ theo trường hợp, nên không chọn được trường hợp số %d.", cl.Doc.Title, n)
	case n < 1 || n > len(cl.Cases):
		return thutuc.Errorf(thutuc.EINVALID, "Không có trường hợp số %d: thủ tục “%s” có %d trường hợp, đánh số từ 1 đến %d.", n, cl.Doc.Title, len(cl.Cases), len(cl.Cases))
	}
	var kept []documentGroup
	for _, g := range cl.Documents {
		if g.Case == 0 || g.Case == n {
			kept = append(kept, g)
		}
	}
	cl.Documents = kept
	cl.Cases[n-1].Current = true
	cl.Case = &cl.Cases[n-1]
	return nil
}

// setLinks sets the links of the checklist for case n (0: every case); base is the public URL
// ("" when not configured: no share link and no QR code).
func (cl *checklist) setLinks(n int, base string) {
	path := "/checklist/" + cl.Doc.ID
	q := ""
	if n > 0 {
		q = "?" + caseParam + "=" + strconv.Itoa(n)
	}
	for i := range cl.Cases {
		cl.Cases[i].URL = path + "?" + caseParam + "=" + strconv.Itoa(cl.Cases[i].Number)
	}
	md := url.Values{"format": {"md"}}
	cl.MarkdownName = cl.Doc.ID + ".md"
	if n > 0 {
		md.Set(caseParam, strconv.Itoa(n))
		cl.MarkdownName = fmt.Sprintf("%s-truong-hop-%d.md", cl.Doc.ID, n)
	}
	cl.MarkdownURL = path + "?" + md.Encode()
	cl.ShareURL, cl.QRURL = "", ""
	if base != "" {
		cl.ShareURL = base + path + q
		cl.QRURL = path + "/qr.svg" + q
	}
}

// addChannelItems files each per-channel item under its channel and returns the other items.
func (cl *checklist) addChannelItems(its []mdItem, add func(*channelFacts, mdItem)) (rest []mdItem) {
	for _, it := range its {
		if it.Channel == "" {
			rest = append(rest, it)
			continue
		}
		add(cl.channel(it.Channel), it)
	}
	return rest
}

// channel returns the channel named name (compared without case or diacritics), adding it.
func (cl *checklist) channel(name string) *channelFacts {
	key := vntext.Key(name)
	for i := range cl.Channels {
		if cl.Channels[i].key == key {
			return &cl.Channels[i]
		}
	}
	cl.Channels = append(cl.Channels, channelFacts{Name: name, key: key})
	return &cl.Channels[len(cl.Channels)-1]
}

// loadProcedure returns procedure id, or ENOTFOUND (also for a regulation: it has no checklist).
func (s *Server) loadProcedure(ctx context.Context, id string) (*thutuc.Document, error) {
	doc, err := s.db.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if doc.Kind != thutuc.KindProcedure {
		return nil, thutuc.Errorf(thutuc.ENOTFOUND, "Không có danh sách giấy tờ cho %q: đây không phải một thủ tục.", id)
	}
	return doc, nil
}

// loadChecklist returns the checklist of procedure id for the case the request chooses. With
// an error about the case, the checklist of every case comes with it, for the way back.
func (s *Server) loadChecklist(c *gin.Context) (*checklist, error) {
	doc, err := s.loadProcedure(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	cl := newChecklist(doc, s.now())
	cl.setLinks(0, s.baseURL(c))
	raw, chosen := c.GetQuery(caseParam)
	if !chosen {
		return cl, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil {
		return cl, thutuc.Errorf(thutuc.EINVALID, "Trường hợp “%s” không phải một số: trường hợp được chọn bằng số thứ tự (1, 2, …).", raw)
	}
	if err := cl.chooseCase(n); err != nil {
		return cl, err
	}
	cl.setLinks(n, s.baseURL(c))
	return cl, nil
}

// handleChecklist serves the checklist page, or with ?format=md the same as Markdown. As with
// the API, a Markdown client gets errors as the JSON error body; a browser gets an HTML page.
func (s *Server) handleChecklist(c *gin.Context) {
	asMarkdown := c.Query("format") == "md"
	cl, err := s.loadChecklist(c)
	if err != nil {
		switch {
		case asMarkdown:
			s.fail(c, err)
		case cl != nil: // a case the procedure does not have: the way back to its checklist
			s.pageErrorBack(c, err, "Xem danh sách và chọn lại trường hợp", cl.AllCasesURL)
		default:
			s.pageError(c, err)
		}
		return
	}
	if asMarkdown {
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, cl.MarkdownName))
		c.Header("X-Content-Type-Options", "nosniff")
		c.Data(http.StatusOK, "text/markdown; charset=utf-8", []byte(cl.markdown(s.baseURL(c))))
		return
	}
	title := "Giấy tờ cần mang — " + cl.Doc.Title
	if cl.Case != nil {
		title += " — " + cl.Case.Label
	}
	s.render(c, http.StatusOK, "checklist", page{
		Title:       title,
		Description: "Danh sách giấy tờ, lệ phí, thời hạn và các bước của thủ tục " + cl.Doc.Title + ".",
		Data:        cl,
	})
}

// markdown writes the checklist as Markdown, items as task-list checkboxes. base makes the
// links absolute, since the file travels on its own.
func (cl *checklist) markdown(base string) string {
	var b strings.Builder
	d := cl.Doc
	fmt.Fprintf(&b, "# %s\n\n", d.Title)
	meta := []string{"Mã thủ tục: " + d.Code}
	for _, v := range []string{d.Level, d.Agency} {
		if v != "" {
			meta = append(meta, v)
		}
	}
	fmt.Fprintf(&b, "%s\n\n", strings.Join(meta, " · "))

	switch {
	case cl.Case != nil:
		fmt.Fprintf(&b, "Trường hợp: %s\n\n", cl.Case.Label)
	case len(cl.Cases) > 0:
		fmt.Fprintf(&b, "Danh sách gồm giấy tờ của cả %d trường hợp.\n\n", len(cl.Cases))
	}

	b.WriteString("## Giấy tờ cần mang\n\n")
	for _, g := range cl.Documents {
		if g.Heading != "" {
			fmt.Fprintf(&b, "### %s\n\n", g.Heading)
		}
		writeBlocks(&b, g.Blocks, "- [ ] ")
	}

	if len(cl.Channels) > 0 || len(cl.FeeNotes) > 0 || len(cl.DeadlineNotes) > 0 {
		b.WriteString("## Lệ phí và thời hạn theo cách nộp\n\n")
		for _, ch := range cl.Channels {
			fmt.Fprintf(&b, "### %s\n\n", ch.Name)
			writeFacts(&b, "Cách nộp", ch.How)
			writeFacts(&b, "Lệ phí", ch.Fee)
			writeFacts(&b, "Thời hạn", ch.Deadline)
			b.WriteString("\n")
		}
		writeNotes(&b, "Lưu ý về lệ phí", cl.FeeNotes)
		writeNotes(&b, "Lưu ý về thời hạn", cl.DeadlineNotes)
	}

	if len(cl.Agency) > 0 || len(cl.ChannelNotes) > 0 {
		b.WriteString("## Nơi nộp hồ sơ\n\n")
		writeBlocks(&b, cl.Agency, "- ")
		for _, it := range cl.ChannelNotes {
			fmt.Fprintf(&b, "- %s\n", it.Source)
		}
		b.WriteString("\n")
	}
	if len(cl.Steps) > 0 {
		b.WriteString("## Các bước thực hiện\n\n")
		writeBlocks(&b, cl.Steps, "- ")
	}
	b.WriteString("---\n\n")
	b.WriteString("Thông tin theo nguồn chính thức")
	if cl.AsOf != "" {
		b.WriteString(", cập nhật " + cl.AsOf)
	}
	fmt.Fprintf(&b, " — kiểm tra lại tại <%s>\n\n", d.SourceURL)
	if base != "" {
		fmt.Fprintf(&b, "Danh sách này: <%s>\n\n", cl.ShareURL)
		fmt.Fprintf(&b, "Bản đầy đủ: <%s%s>\n", base, cl.SheetURL)
	} else {
		fmt.Fprintf(&b, "Bản đầy đủ: %s\n", cl.SheetURL)
	}
	return b.String()
}

// writeBlocks writes blocks as Markdown: ### headings, list items with bullet (ordered lists
// numbered, notes as plain items), paragraphs.
func writeBlocks(b *strings.Builder, blocks []mdBlock, bullet string) {
	for _, bl := range blocks {
		switch bl.Kind {
		case "heading":
			fmt.Fprintf(b, "### %s\n\n", bl.Text)
		case "list":
			for i, it := range bl.Items {
				if bl.Ordered {
					fmt.Fprintf(b, "%d. %s\n", i+1, it.Source)
				} else if it.Note {
					fmt.Fprintf(b, "- %s\n", it.Source)
				} else {
					fmt.Fprintf(b, "%s%s\n", bullet, it.Source)
				}
			}
			b.WriteString("\n")
		default:
			fmt.Fprintf(b, "%s\n\n", bl.Source)
		}
	}
}

func writeFacts(b *strings.Builder, label string, its []mdItem) {
	for _, it := range its {
		fmt.Fprintf(b, "- %s: %s\n", label, it.RestSource)
	}
}

func writeNotes(b *strings.Builder, label string, its []mdItem) {
	if len(its) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n\n", label)
	for _, it := range its {
		fmt.Fprintf(b, "- %s\n", it.Source)
	}
	b.WriteString("\n")
}
