package catalog

// Writing a catalog record as a sheet: front matter, sections, and the text of record cells
// made safe for Markdown.

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"github.com/thutuc/thutuc/kb"
)

// Section headings of a procedure sheet, in the order written (corpus/README.md).
const (
	headDocuments  = "Thành phần hồ sơ"
	headFees       = "Phí, lệ phí"
	headDeadline   = "Thời hạn giải quyết"
	headSteps      = "Trình tự thực hiện"
	headChannels   = "Cách thức thực hiện"
	headAgency     = "Cơ quan thực hiện"
	headApplicants = "Đối tượng thực hiện"
	headConditions = "Yêu cầu, điều kiện"
	headResult     = "Kết quả thực hiện"
	headLegal      = "Căn cứ pháp lý"
	headForms      = "Mẫu đơn, tờ khai"
	// SheetSections is the number of "## " sections every catalog sheet has.
	SheetSections = 11
)

// notePrefix starts a remark on how the source reads, for officers: the answer composer does
// not show citizens lines that start with it.
const notePrefix = "Ghi chú nguồn: "

// noInfoItem is written for a section the record says nothing about.
const noInfoItem = "- Chưa có nội dung cho mục này trên trang chính thức.\n"

// agency is the agency a sheet names: the executing agency, else the competent one.
func (p Procedure) agency() string {
	if a := mdwrite.Clean(p.Record.Agency); !missing(a) {
		return a
	}
	if a := mdwrite.Clean(p.Record.CompetentAgency); !missing(a) {
		return a
	}
	return ""
}

// Markdown writes the procedure as a sheet in the corpus/README.md format. Every record text is
// written so that it cannot change the sheet's structure: it is folded to one line and
// escaped where a line starts, so the sheet always has exactly SheetSections "## " sections.
func (p Procedure) Markdown(asOf string) []byte {
	rec := p.Record
	var b bytes.Buffer
	b.Grow(len(rec.Channels) + len(rec.Documents) + len(rec.LegalBasis) + len(rec.Steps) + len(rec.Conditions) + 4096)
	b.WriteString("---\n")
	fm := mdwrite.FrontMatter{B: &b}
	fm.Str("id", rec.Code)
	fm.Str("code", rec.Code)
	fm.Str("title", rec.Title)
	fm.Str("kind", "procedure")
	fm.OptStr("field", fieldValue(rec.Field))
	fm.OptStr("level", strings.Join(p.Levels, ", "))
	fm.OptStr("agency", p.agency())
	fm.Str("source_url", rec.URL)
	fm.Str("as_of", asOf)
	k := p.Knowledge
	if k != nil && len(k.Names) > 0 {
		b.WriteString("aliases:\n")
		for _, n := range k.Names {
			b.WriteString("  - " + mdwrite.Quote(mdwrite.OneLine(n)) + "\n")
		}
	}
	b.WriteString("metadata:\n")
	fm.Indent = "  "
	fm.OptStr("ministry", fieldValue(rec.Ministry))
	fm.OptStr("decision", fieldValue(rec.Decision))
	if k != nil {
		fm.List("action", k.Actions)
		fm.Str("family", k.Family)
		fm.List("circumstances", k.Circumstances)
		fm.List("applicants", k.Applicants)
		fm.Raw("common", strconv.FormatBool(k.Common))
	} else {
		fm.List("action", kb.DeriveActions(rec.Title))
	}
	if len(p.Channels) > 0 {
		b.WriteString("  channels:\n")
		for _, ch := range p.Channels {
			fm.Indent = "    - "
			fm.Str("channel", ch.Name)
			fm.Indent = "      "
			if ch.Time != nil {
				fm.Raw("time_value", strconv.FormatFloat(ch.Time.Value, 'f', -1, 64))
				fm.OptStr("time_unit", ch.Time.Unit)
			}
			fm.Str("fee_kind", ch.Fee.Kind)
			if len(ch.Fee.Amounts) > 0 {
				amts := make([]string, len(ch.Fee.Amounts))
				for i, a := range ch.Fee.Amounts {
					amts[i] = strconv.FormatInt(a, 10)
				}
				fm.Raw("fee_amounts", "["+strings.Join(amts, ", ")+"]")
			}
			if ch.Fee.Currency != "" && ch.Fee.Currency != "VND" {
				fm.Str("fee_currency", ch.Fee.Currency)
			}
		}
	} else {
		b.WriteString("  channels: []\n")
	}
	b.WriteString("---\n\n")
	title := mdwrite.OneLine(rec.Title)
	if title == "" {
		title = "Thủ tục " + mdwrite.OneLine(rec.Code)
	}
	b.WriteString("# " + title + "\n\n")
	p.writeOverview(&b)

	section := func(h string, body func(*bytes.Buffer) bool) {
		b.WriteString("## " + h + "\n\n")
		if !body(&b) {
			b.WriteString(noInfoItem)
		}
		b.WriteString("\n")
	}
	section(headDocuments, p.writeDocuments)
	section(headFees, p.writeFees)
	section(headDeadline, p.writeDeadlines)
	section(headSteps, func(b *bytes.Buffer) bool { return p.writeText(b, rec.Steps) })
	section(headChannels, p.writeChannels)
	section(headAgency, p.writeAgency)
	section(headApplicants, func(b *bytes.Buffer) bool { return p.writeText(b, rec.Applicants) })
	section(headConditions, func(b *bytes.Buffer) bool { return p.writeText(b, rec.Conditions) })
	section(headResult, p.writeResults)
	section(headLegal, p.writeLegal)
	section(headForms, p.writeForms)
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// writeOverview writes the overview paragraph: the identifying facts in one place.
func (p Procedure) writeOverview(b *bytes.Buffer) {
	rec := p.Record
	var parts []string
	parts = append(parts, "Thủ tục hành chính mã "+mdwrite.OneLine(rec.Code))
	if f := fieldValue(rec.Field); f != "" {
		parts = append(parts, "lĩnh vực "+f)
	}
	if len(p.Levels) > 0 {
		parts = append(parts, "cấp thực hiện: "+strings.Join(p.Levels, ", "))
	}
	if a := p.agency(); a != "" {
		parts = append(parts, "cơ quan thực hiện: "+a)
	}
	b.WriteString(strings.Join(parts, "; ") + ".")
	if t := fieldValue(rec.Type); t != "" {
		b.WriteString(" Loại thủ tục: " + t + ".")
	}
	if d := fieldValue(rec.Decision); d != "" {
		b.WriteString(" Công bố theo quyết định số " + d + ".")
	}
	if r := fieldValue(rec.RelatedProcedures); r != "" {
		b.WriteString(" Thủ tục liên quan: " + r + ".")
	}
	b.WriteString("\n\n")
}

func (p Procedure) writeDocuments(b *bytes.Buffer) bool {
	docs, renumbered := p.cleanDocuments()
	if len(docs) == 0 {
		return false
	}
	for i, d := range docs {
		if i == 0 || d.Group != docs[i-1].Group {
			if d.Group != "" {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString("### " + mdwrite.OneLine(d.Group) + "\n\n")
			}
		}
		line := d.Name
		if d.Form != "" {
			if c := FormCode(d.Form); c != "" {
				if !strings.Contains(strings.ToLower(line), strings.ToLower("mẫu "+c)) {
					line += " (mẫu " + c + ")"
				}
			} else if files := readableForms(d.Form); len(files) > 0 {
				line += " (biểu mẫu: " + strings.Join(files, "; ") + ")"
			}
		}
		if c := plainCount(d.Count); c != "" {
			line += ": " + c
		}
		item(b, line)
		if nums, ok := renumbered[d.Group]; ok && (i+1 == len(docs) || docs[i+1].Group != d.Group) {
			note(b, "trên trang chính thức, các giấy tờ "+groupName(d.Group)+"được đánh số "+numberList(nums)+
				", không liền mạch; danh sách trên không ghi số thứ tự.")
		}
	}
	return true
}

// cleanDocuments returns the document rows with their names cleaned of stray marks and, per
// group, ordered by their numbers (see orderDocuments), with the groups whose numbers were
// removed.
func (p Procedure) cleanDocuments() ([]DocItem, map[string][]int) {
	docs := make([]DocItem, 0, len(p.Documents))
	for _, d := range p.Documents {
		d.Group = plainCounts(d.Group)
		if d.Name = plainCounts(cleanFragment(d.Name)); d.Name == "" {
			d.Name = "Giấy tờ không ghi tên"
		}
		docs = append(docs, d)
	}
	return orderDocuments(docs)
}

// readableForms returns the form file names of a "; "-separated list that are not garbled.
func readableForms(forms string) []string {
	var out []string
	for _, f := range strings.Split(forms, "; ") {
		if f != "" && !garbledName(f) {
			out = append(out, f)
		}
	}
	return out
}

func groupName(g string) string {
	if g == "" {
		return ""
	}
	return "của nhóm “" + mdwrite.OneLine(g) + "” "
}

func numberList(nums []int) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = "(" + strconv.Itoa(n) + ")"
	}
	return strings.Join(s, ", ")
}

func (p Procedure) writeFees(b *bytes.Buffer) bool {
	if len(p.Channels) == 0 {
		return false
	}
	for _, ch := range p.Channels {
		var s string
		switch ch.Fee.Kind {
		case FeeAmount:
			amts := make([]string, len(ch.Fee.Amounts))
			for i, a := range ch.Fee.Amounts {
				amts[i] = FormatMoney(a, ch.Fee.Currency)
			}
			s = strings.Join(amts, "; ")
		case FeeFree:
			s = "Miễn phí"
		case FeeSeeNote:
			s = ch.Note // the fee is only given in the description
		default:
			s = "Chưa có thông tin về phí, lệ phí cho cách nộp này; hãy hỏi bộ phận một cửa"
		}
		if ch.Fee.Detail != "" {
			s += " (" + ch.Fee.Detail + ")"
		}
		channelItem(b, ch.Name, s)
	}
	return true
}

func (p Procedure) writeDeadlines(b *bytes.Buffer) bool {
	if len(p.Channels) == 0 {
		return false
	}
	for _, ch := range p.Channels {
		var s string
		switch {
		case ch.Time != nil && ch.Time.Unit != "":
			s = FormatNumber(ch.Time.Value) + " " + ch.Time.Unit
		case ch.Time != nil:
			s = FormatNumber(ch.Time.Value) + " (không rõ đơn vị — hãy hỏi bộ phận một cửa)"
		case ch.TimeText != "":
			s = plainTimeText(ch.TimeText)
		default:
			s = "Chưa có thông tin về thời hạn cho cách nộp này; hãy hỏi bộ phận một cửa"
		}
		channelItem(b, ch.Name, s)
	}
	return true
}

func (p Procedure) writeChannels(b *bytes.Buffer) bool {
	if len(p.Channels) == 0 {
		return false
	}
	for _, ch := range p.Channels {
		s := ch.Note
		if s == "" {
			s = "Có thể nộp theo cách này"
		}
		channelItem(b, ch.Name, s)
	}
	return true
}

func (p Procedure) writeAgency(b *bytes.Buffer) bool {
	rec := p.Record
	wrote, cut := false, false
	for _, f := range [...]struct{ label, value string }{
		{"Cơ quan thực hiện", rec.Agency},
		{"Cơ quan có thẩm quyền", rec.CompetentAgency},
		{"Địa chỉ tiếp nhận hồ sơ", rec.ReceivingAddress},
		{"Cơ quan được ủy quyền", rec.AuthorizedAgency},
		{"Cơ quan phối hợp", rec.CoordinatingAgency},
	} {
		lines, c := textLines(f.value)
		cut = cut || c
		for _, l := range lines {
			item(b, f.label+": "+l)
			wrote = true
		}
	}
	if cut {
		item(b, p.incomplete())
	}
	return wrote || cut
}

func (p Procedure) writeResults(b *bytes.Buffer) bool {
	for _, r := range p.Results {
		if r.Code != "" {
			item(b, r.Name+" (mã kết quả "+r.Code+")")
		} else {
			item(b, r.Name)
		}
	}
	return len(p.Results) > 0
}

func (p Procedure) writeLegal(b *bytes.Buffer) bool {
	for _, l := range p.Legal {
		switch {
		case l.Number == "":
			item(b, l.Title)
		case l.Title == "" || strings.Contains(l.Title, l.Number):
			item(b, or(l.Title, "Văn bản số "+l.Number))
		default:
			item(b, l.Title+", số "+l.Number)
		}
	}
	return len(p.Legal) > 0
}

func (p Procedure) writeForms(b *bytes.Buffer) bool {
	docs, _ := p.cleanDocuments()
	wrote := false
	seen := map[string]bool{}
	for _, d := range docs {
		for _, f := range strings.Split(d.Form, "; ") {
			if f == "" || seen[f] {
				continue
			}
			seen[f] = true
			c, garbled := FormCode(f), garbledName(f)
			var line string
			switch {
			case c != "" && !garbled:
				line = "Mẫu " + c + " (tệp " + f + "), kèm theo giấy tờ: " + d.Name
			case c != "":
				line = "Mẫu " + c + ", kèm theo giấy tờ: " + d.Name
			case garbled:
				line = "Có tệp mẫu kèm theo giấy tờ: " + d.Name + "; tải tại trang chính thức: " + mdwrite.OneLine(p.Record.URL)
			default:
				line = "Tệp mẫu " + f + ", kèm theo giấy tờ: " + d.Name
			}
			item(b, line)
			wrote = true
		}
	}
	if wrote {
		return true
	}
	// No form file: the forms the document names give.
	for _, d := range docs {
		for _, m := range formMentionRe.FindAllString(d.Name, -1) {
			key := strings.ToLower(mdwrite.Clean(m))
			if seen[key] {
				continue
			}
			seen[key] = true
			r, n := utf8.DecodeRuneInString(m)
			item(b, string(unicode.ToUpper(r))+m[n:]+", dùng cho giấy tờ: "+d.Name)
			wrote = true
		}
	}
	return wrote
}

// writeText writes a free-text field as one item per line, cleaned (see textLines); a field
// cut mid-sentence ends with a line that says so.
func (p Procedure) writeText(b *bytes.Buffer, s string) bool {
	lines, cut := textLines(s)
	for _, l := range lines {
		item(b, l)
	}
	if cut {
		item(b, p.incomplete())
	}
	return len(lines) > 0 || cut
}

// incomplete says that a section's text on the official page is cut, and where it is.
func (p Procedure) incomplete() string {
	return "Nội dung mục này trên trang chính thức bị cắt, chưa đầy đủ; xem tại: " + mdwrite.OneLine(p.Record.URL)
}

// note writes a remark on how the source reads as a paragraph of its own, for officers.
func note(b *bytes.Buffer, text string) {
	b.WriteString("\n" + notePrefix + mdwrite.OneLine(text) + "\n")
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// fieldValue returns a field cleaned to one line, or "" when the record gives nothing.
func fieldValue(s string) string {
	v := mdwrite.OneLine(s)
	if missing(v) {
		return ""
	}
	return v
}

// missing reports whether a cell gives nothing.
func missing(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == noInfo || strings.EqualFold(s, noInfo)
}

// channelItem writes "- **<channel>**: <text>."
func channelItem(b *bytes.Buffer, channel, text string) {
	b.WriteString("- **" + channel + "**: " + sentence(mdwrite.OneLine(text)) + "\n")
}

// item writes one list item holding one fact.
func item(b *bytes.Buffer, text string) {
	if t := sentence(mdwrite.OneLine(text)); t != "" {
		b.WriteString("- " + mdwrite.EscapeStart(t) + "\n")
	}
}

// sentence ends a fact with a full stop unless it already ends with punctuation.
func sentence(s string) string {
	s = strings.TrimRight(s, " ;,")
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".!?:…", r) {
		return s
	}
	return s + "."
}

// countRe reads a count cell as normalised by normCount.
var countRe = regexp.MustCompile(`^(?:(\d+) bản chính)?(?:, )?(?:(\d+) bản sao)?$`)

// plainCount says what a count cell asks of the applicant: "1 bản chính, 1 bản sao" as it is,
// no copies left out, and no originals as "không cần nộp bản chính" ("0 bản chính, 1 bản sao" →
// "1 bản sao; không cần nộp bản chính"). A cell it cannot read is written as it is.
func plainCount(c string) string {
	m := countRe.FindStringSubmatch(c)
	if c == "" || m == nil {
		return c
	}
	orig, copies := m[1], m[2]
	var parts []string
	if orig != "" && strings.Trim(orig, "0") != "" {
		parts = append(parts, orig+" bản chính")
	}
	if copies != "" && strings.Trim(copies, "0") != "" {
		parts = append(parts, copies+" bản sao")
	}
	s := strings.Join(parts, ", ")
	if orig != "" && strings.Trim(orig, "0") == "" {
		if s == "" {
			return "Không cần nộp bản chính"
		}
		s += "; không cần nộp bản chính"
	}
	return s
}

// plainTimeText writes a time cell that holds text instead of a number.
func plainTimeText(t string) string {
	if strings.EqualFold(strings.TrimSpace(t), "Không") {
		return "Không nêu thời hạn"
	}
	return t
}

// glued count cells: a count cell of a row the export glued into a document's name
// ("…(nếu có).0 bản chính,1 bản sao) Bản sao …").
var gluedCountRe = regexp.MustCompile(`\b\d+ bản chính(?:,\s*\d+ bản sao)?|\b\d+ bản sao`)

// plainCounts writes the count cells inside a text as plainCount does.
func plainCounts(s string) string {
	return gluedCountRe.ReplaceAllStringFunc(s, func(c string) string {
		c = normCount(strings.Join(strings.Fields(strings.ReplaceAll(c, ",", ", ")), " "))
		if p := plainCount(c); p != "" {
			return p
		}
		return c
	})
}
