package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
)

// checklist is the printable summary of one procedure for a coach: what to bring, what it costs
// and how long it takes per channel, where to go and the steps.
type checklist struct {
	Doc           *thutuc.Document
	AsOf          string // dd/mm/yyyy, "" when unknown
	Documents     []mdBlock
	Channels      []channelFacts
	FeeNotes      []mdItem // fee items that name no channel
	DeadlineNotes []mdItem
	Agency        []mdBlock
	ChannelNotes  []mdItem // channel items that name no channel (opening hours, …)
	Steps         []mdBlock
	SheetURL      string
	MarkdownURL   string
}

// channelFacts gathers the per-channel items of one channel ("Trực tiếp", "Trực tuyến", …).
type channelFacts struct {
	Name               string
	How, Fee, Deadline []mdItem
	key                string
}

// newChecklist builds the checklist of a procedure from its sections.
func newChecklist(doc *thutuc.Document) *checklist {
	cl := &checklist{
		Doc: doc, AsOf: viDate(doc.AsOf),
		SheetURL: "/tra-cuu/" + doc.ID, MarkdownURL: "/checklist/" + doc.ID + "?format=md",
	}
	blocks := map[string][]mdBlock{}
	for _, sec := range sheetSections(doc) {
		blocks[sec.Key] = append(blocks[sec.Key], sectionBlocks(sec.Source)...)
	}
	cl.Documents = blocks[thutuc.SectionDocuments]
	cl.Agency = blocks[thutuc.SectionAgency]
	cl.Steps = blocks[thutuc.SectionSteps]
	// The channels section sets the order of the channels; fees and deadlines join it.
	cl.ChannelNotes = cl.addChannelItems(items(blocks[thutuc.SectionChannels]), func(c *channelFacts, it mdItem) { c.How = append(c.How, it) })
	cl.FeeNotes = cl.addChannelItems(items(blocks[thutuc.SectionFees]), func(c *channelFacts, it mdItem) { c.Fee = append(c.Fee, it) })
	cl.DeadlineNotes = cl.addChannelItems(items(blocks[thutuc.SectionDeadline]), func(c *channelFacts, it mdItem) { c.Deadline = append(c.Deadline, it) })
	return cl
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

// handleChecklist serves the checklist page, or with ?format=md the same as Markdown. As with
// the API, a Markdown client gets errors as the JSON error body; a browser gets an HTML page.
func (s *Server) handleChecklist(c *gin.Context) {
	asMarkdown := c.Query("format") == "md"
	doc, err := s.loadProcedure(c.Request.Context(), c.Param("id"))
	if err != nil {
		if asMarkdown {
			s.fail(c, err)
		} else {
			s.pageError(c, err)
		}
		return
	}
	cl := newChecklist(doc)
	if asMarkdown {
		c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="%s.md"`, doc.ID))
		c.Header("X-Content-Type-Options", "nosniff")
		c.Data(http.StatusOK, "text/markdown; charset=utf-8", []byte(cl.markdown(s.baseURL(c))))
		return
	}
	s.render(c, http.StatusOK, "checklist", page{
		Title:       "Giấy tờ cần mang — " + doc.Title,
		Description: "Danh sách giấy tờ, lệ phí, thời hạn và các bước của thủ tục " + doc.Title + ".",
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

	b.WriteString("## Giấy tờ cần mang\n\n")
	writeBlocks(&b, cl.Documents, "- [ ] ")

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
		fmt.Fprintf(&b, "Bản đầy đủ: <%s%s>\n", base, cl.SheetURL)
	} else {
		fmt.Fprintf(&b, "Bản đầy đủ: %s\n", cl.SheetURL)
	}
	return b.String()
}

// writeBlocks writes blocks as Markdown: ### headings, list items with bullet (ordered lists
// numbered), paragraphs.
func writeBlocks(b *strings.Builder, blocks []mdBlock, bullet string) {
	for _, bl := range blocks {
		switch bl.Kind {
		case "heading":
			fmt.Fprintf(b, "### %s\n\n", bl.Text)
		case "list":
			for i, it := range bl.Items {
				if bl.Ordered {
					fmt.Fprintf(b, "%d. %s\n", i+1, it.Source)
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
