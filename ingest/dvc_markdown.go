package ingest

// Writing a catalog record as a sheet: front matter, sections, and the text of record cells
// made safe for Markdown.

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/kb"
)

// Section headings of a procedure sheet, in the order written (corpus/README.md).
const (
	dvcHeadDocuments  = "Thành phần hồ sơ"
	dvcHeadFees       = "Phí, lệ phí"
	dvcHeadDeadline   = "Thời hạn giải quyết"
	dvcHeadSteps      = "Trình tự thực hiện"
	dvcHeadChannels   = "Cách thức thực hiện"
	dvcHeadAgency     = "Cơ quan thực hiện"
	dvcHeadApplicants = "Đối tượng thực hiện"
	dvcHeadConditions = "Yêu cầu, điều kiện"
	dvcHeadResult     = "Kết quả thực hiện"
	dvcHeadLegal      = "Căn cứ pháp lý"
	dvcHeadForms      = "Mẫu đơn, tờ khai"
	// DVCSheetSections is the number of "## " sections every catalog sheet has.
	DVCSheetSections = 11
)

// dvcNoInfoItem is written for a section the record says nothing about.
const dvcNoInfoItem = "- Nguồn không nêu thông tin về mục này.\n"

// dvcAgency is the agency a sheet names: the executing agency, else the competent one.
func (p DVCProcedure) dvcAgency() string {
	if a := impClean(p.Record.Agency); !dvcMissing(a) {
		return a
	}
	if a := impClean(p.Record.CompetentAgency); !dvcMissing(a) {
		return a
	}
	return ""
}

// Markdown writes the procedure as a sheet in the corpus/README.md format. Every record text is
// written so that it cannot change the sheet's structure: it is folded to one line and
// escaped where a line starts, so the sheet always has exactly DVCSheetSections "## " sections.
func (p DVCProcedure) Markdown(asOf string) []byte {
	rec := p.Record
	var b bytes.Buffer
	b.Grow(len(rec.Channels) + len(rec.Documents) + len(rec.LegalBasis) + len(rec.Steps) + len(rec.Conditions) + 4096)
	b.WriteString("---\n")
	fm := impFrontMatter{b: &b}
	fm.str("id", rec.Code)
	fm.str("code", rec.Code)
	fm.str("title", rec.Title)
	fm.str("kind", "procedure")
	fm.optStr("field", dvcValue(rec.Field))
	fm.optStr("level", strings.Join(p.Levels, ", "))
	fm.optStr("agency", p.dvcAgency())
	fm.str("source_url", rec.URL)
	fm.str("as_of", asOf)
	k := p.Knowledge
	if k != nil && len(k.Names) > 0 {
		b.WriteString("aliases:\n")
		for _, n := range k.Names {
			b.WriteString("  - " + impYAMLQuote(impOneLine(n)) + "\n")
		}
	}
	b.WriteString("metadata:\n")
	fm.indent = "  "
	fm.optStr("ministry", dvcValue(rec.Ministry))
	fm.optStr("decision", dvcValue(rec.Decision))
	if k != nil {
		fm.list("action", k.Actions)
		fm.str("family", k.Family)
		fm.list("circumstances", k.Circumstances)
		fm.list("applicants", k.Applicants)
		fm.raw("common", strconv.FormatBool(k.Common))
	} else {
		fm.list("action", kb.DeriveActions(rec.Title))
	}
	if len(p.Channels) > 0 {
		b.WriteString("  channels:\n")
		for _, ch := range p.Channels {
			fm.indent = "    - "
			fm.str("channel", ch.Name)
			fm.indent = "      "
			if ch.Time != nil {
				fm.raw("time_value", strconv.FormatFloat(ch.Time.Value, 'f', -1, 64))
				fm.optStr("time_unit", ch.Time.Unit)
			}
			fm.str("fee_kind", ch.Fee.Kind)
			if len(ch.Fee.Amounts) > 0 {
				amts := make([]string, len(ch.Fee.Amounts))
				for i, a := range ch.Fee.Amounts {
					amts[i] = strconv.FormatInt(a, 10)
				}
				fm.raw("fee_amounts", "["+strings.Join(amts, ", ")+"]")
			}
			if ch.Fee.Currency != "" && ch.Fee.Currency != "VND" {
				fm.str("fee_currency", ch.Fee.Currency)
			}
		}
	} else {
		b.WriteString("  channels: []\n")
	}
	b.WriteString("---\n\n")
	title := impOneLine(rec.Title)
	if title == "" {
		title = "Thủ tục " + impOneLine(rec.Code)
	}
	b.WriteString("# " + title + "\n\n")
	p.writeOverview(&b)

	section := func(h string, body func(*bytes.Buffer) bool) {
		b.WriteString("## " + h + "\n\n")
		if !body(&b) {
			b.WriteString(dvcNoInfoItem)
		}
		b.WriteString("\n")
	}
	section(dvcHeadDocuments, p.writeDocuments)
	section(dvcHeadFees, p.writeFees)
	section(dvcHeadDeadline, p.writeDeadlines)
	section(dvcHeadSteps, func(b *bytes.Buffer) bool { return impWriteLines(b, rec.Steps) })
	section(dvcHeadChannels, p.writeChannels)
	section(dvcHeadAgency, p.writeAgency)
	section(dvcHeadApplicants, func(b *bytes.Buffer) bool {
		if a := dvcValue(rec.Applicants); a != "" {
			impItem(b, a)
			return true
		}
		return false
	})
	section(dvcHeadConditions, func(b *bytes.Buffer) bool { return impWriteLines(b, rec.Conditions) })
	section(dvcHeadResult, p.writeResults)
	section(dvcHeadLegal, p.writeLegal)
	section(dvcHeadForms, p.writeForms)
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// writeOverview writes the overview paragraph: the identifying facts in one place.
func (p DVCProcedure) writeOverview(b *bytes.Buffer) {
	rec := p.Record
	var parts []string
	parts = append(parts, "Thủ tục hành chính mã "+impOneLine(rec.Code))
	if f := dvcValue(rec.Field); f != "" {
		parts = append(parts, "lĩnh vực "+f)
	}
	if len(p.Levels) > 0 {
		parts = append(parts, "cấp thực hiện: "+strings.Join(p.Levels, ", "))
	}
	if a := p.dvcAgency(); a != "" {
		parts = append(parts, "cơ quan thực hiện: "+a)
	}
	b.WriteString(strings.Join(parts, "; ") + ".")
	if t := dvcValue(rec.Type); t != "" {
		b.WriteString(" Loại thủ tục: " + t + ".")
	}
	if d := dvcValue(rec.Decision); d != "" {
		b.WriteString(" Công bố theo quyết định số " + d + ".")
	}
	if r := dvcValue(rec.RelatedProcedures); r != "" {
		b.WriteString(" Thủ tục liên quan: " + r + ".")
	}
	b.WriteString("\n\n")
}

func (p DVCProcedure) writeDocuments(b *bytes.Buffer) bool {
	if len(p.Documents) == 0 {
		return false
	}
	group := ""
	for i, d := range p.Documents {
		if i == 0 || d.Group != group {
			group = d.Group
			if group != "" {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString("### " + impOneLine(group) + "\n\n")
			}
		}
		line := d.Name
		if d.Form != "" {
			if c := FormCode(d.Form); c != "" {
				line += " (mẫu " + c + ")"
			} else {
				line += " (biểu mẫu: " + d.Form + ")"
			}
		}
		if d.Count != "" {
			line += ": " + d.Count
		} else {
			line += ": nguồn không ghi số lượng"
		}
		impItem(b, line)
	}
	return true
}

func (p DVCProcedure) writeFees(b *bytes.Buffer) bool {
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
			s = "nguồn không ghi mức phí ở ô phí, lệ phí; mô tả kèm theo: " + ch.Note
		default:
			s = "Nguồn không nêu phí, lệ phí cho cách nộp này"
		}
		if ch.Fee.Detail != "" {
			s += " (" + ch.Fee.Detail + ")"
		}
		impChannelItem(b, ch.Name, s)
	}
	return true
}

func (p DVCProcedure) writeDeadlines(b *bytes.Buffer) bool {
	if len(p.Channels) == 0 {
		return false
	}
	for _, ch := range p.Channels {
		var s string
		switch {
		case ch.Time != nil && ch.Time.Unit != "":
			s = FormatNumber(ch.Time.Value) + " " + ch.Time.Unit
		case ch.Time != nil:
			s = FormatNumber(ch.Time.Value) + " (nguồn không ghi đơn vị thời gian)"
		case ch.TimeText != "":
			s = "nguồn ghi “" + ch.TimeText + "”"
		default:
			s = "Nguồn không nêu thời hạn cho cách nộp này"
		}
		impChannelItem(b, ch.Name, s)
	}
	return true
}

func (p DVCProcedure) writeChannels(b *bytes.Buffer) bool {
	if len(p.Channels) == 0 {
		return false
	}
	for _, ch := range p.Channels {
		s := ch.Note
		if s == "" {
			s = "có áp dụng; nguồn không mô tả thêm"
		}
		impChannelItem(b, ch.Name, s)
	}
	return true
}

func (p DVCProcedure) writeAgency(b *bytes.Buffer) bool {
	rec := p.Record
	wrote := false
	for _, f := range [...]struct{ label, value string }{
		{"Cơ quan thực hiện", rec.Agency},
		{"Cơ quan có thẩm quyền", rec.CompetentAgency},
		{"Địa chỉ tiếp nhận hồ sơ", rec.ReceivingAddress},
		{"Cơ quan được ủy quyền", rec.AuthorizedAgency},
		{"Cơ quan phối hợp", rec.CoordinatingAgency},
	} {
		if v := dvcValue(f.value); v != "" {
			impItem(b, f.label+": "+v)
			wrote = true
		}
	}
	return wrote
}

func (p DVCProcedure) writeResults(b *bytes.Buffer) bool {
	for _, r := range p.Results {
		if r.Code != "" {
			impItem(b, r.Name+" (mã kết quả "+r.Code+")")
		} else {
			impItem(b, r.Name)
		}
	}
	return len(p.Results) > 0
}

func (p DVCProcedure) writeLegal(b *bytes.Buffer) bool {
	for _, l := range p.Legal {
		switch {
		case l.Number == "":
			impItem(b, l.Title)
		case l.Title == "" || strings.Contains(l.Title, l.Number):
			impItem(b, dvcOr(l.Title, "Văn bản số "+l.Number))
		default:
			impItem(b, l.Title+", số "+l.Number)
		}
	}
	return len(p.Legal) > 0
}

func (p DVCProcedure) writeForms(b *bytes.Buffer) bool {
	wrote := false
	seen := map[string]bool{}
	for _, d := range p.Documents {
		for _, f := range strings.Split(d.Form, "; ") {
			if f == "" || seen[f] {
				continue
			}
			seen[f] = true
			line := "Tệp mẫu " + f
			if c := FormCode(f); c != "" {
				line = "Mẫu " + c + " (tệp " + f + ")"
			}
			impItem(b, line+", kèm theo giấy tờ: "+d.Name)
			wrote = true
		}
	}
	return wrote
}

func dvcOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// dvcValue returns a field cleaned to one line, or "" when the record gives nothing.
func dvcValue(s string) string {
	v := impOneLine(s)
	if dvcMissing(v) {
		return ""
	}
	return v
}

// dvcMissing reports whether a cell gives nothing.
func dvcMissing(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == dvcNoInfo || strings.EqualFold(s, dvcNoInfo)
}

// FormatMoney writes an amount the Vietnamese way: 200.000 đồng, 145 USD.
func FormatMoney(amount int64, currency string) string {
	if currency == "USD" {
		return FormatNumber(float64(amount)) + " USD"
	}
	return FormatNumber(float64(amount)) + " đồng"
}

// FormatNumber writes a number with '.' between thousands and ',' as the decimal mark.
func FormatNumber(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	whole := math.Floor(v)
	frac := v - whole
	digits := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac > 1e-9 {
		f := strconv.FormatFloat(frac, 'f', -1, 64) // "0.5"
		b.WriteString("," + strings.TrimPrefix(f, "0."))
	}
	return b.String()
}

// impFrontMatter writes YAML front matter line by line. Values are written as double-quoted
// scalars with every character YAML does not print escaped, so no record text can end the
// front matter or change its structure. (yaml.Marshal does the same at many times the cost.)
type impFrontMatter struct {
	b      *bytes.Buffer
	indent string // written before each key
}

// str writes key: "value", the value folded to one line.
func (f impFrontMatter) str(key, value string) { f.raw(key, impYAMLQuote(impOneLine(value))) }

// optStr writes key: "value" unless value is empty.
func (f impFrontMatter) optStr(key, value string) {
	if value != "" {
		f.str(key, value)
	}
}

// list writes key: ["a", "b"] unless values is empty.
func (f impFrontMatter) list(key string, values []string) {
	if len(values) == 0 {
		return
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = impYAMLQuote(impOneLine(v))
	}
	f.raw(key, "["+strings.Join(q, ", ")+"]")
}

// raw writes key: value with value as given (a number or a flow sequence of numbers).
func (f impFrontMatter) raw(key, value string) {
	f.b.WriteString(f.indent + key + ": " + value + "\n")
}

// impYAMLQuote returns s as a YAML double-quoted scalar.
func impYAMLQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s { // an invalid byte comes as utf8.RuneError and is written as U+FFFD
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// impChannelItem writes "- **<channel>**: <text>."
func impChannelItem(b *bytes.Buffer, channel, text string) {
	b.WriteString("- **" + channel + "**: " + impSentence(impOneLine(text)) + "\n")
}

// impItem writes one list item holding one fact.
func impItem(b *bytes.Buffer, text string) {
	if t := impSentence(impOneLine(text)); t != "" {
		b.WriteString("- " + impEscapeStart(t) + "\n")
	}
}

// impWriteLines writes each non-empty line of a free-text field as a list item, dropping the
// field's own bullet marks. It reports whether it wrote anything.
func impWriteLines(b *bytes.Buffer, s string) bool {
	if dvcMissing(s) {
		return false
	}
	wrote := false
	for _, line := range impSplitLines(s) {
		l := strings.TrimLeft(impOneLine(line), "-+*•– ")
		if l == "" || dvcMissing(l) {
			continue
		}
		impItem(b, l)
		wrote = true
	}
	return wrote
}

// impSplitLines splits text at every kind of line break.
func impSplitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029'
	})
}

// impSentence ends a fact with a full stop unless it already ends with punctuation.
func impSentence(s string) string {
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

// impOneLine folds all white space (line breaks included) into single spaces and trims, so
// record text cannot start a line of its own.
func impOneLine(s string) string { return impClean(s) }

// impClean collapses runs of white space (tabs, line breaks, no-break spaces) into one space
// and trims; control characters are dropped.
func impClean(s string) string {
	if impIsClean(s) {
		return s // the common case; no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case impIsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || r == utf8.RuneError:
			continue
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// impIsSpace reports whether r separates words (line and paragraph separators and zero-width
// spaces included).
func impIsSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == '\u200b' || r == '\ufeff'
}

// impIsClean reports whether impClean would return s unchanged.
func impIsClean(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case r < 0x20 || r == 0x7f:
			return false
		case r < 0x80:
			prevSpace = false
		case impIsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError:
			return false
		default:
			prevSpace = false
		}
	}
	return s == "" || !prevSpace
}

// impEscapeStart escapes what would give a line's first characters Markdown meaning (a heading,
// quote, table, list item, thematic break, code fence, HTML block or link definition), so that
// record text starting a paragraph or a list item stays plain text.
func impEscapeStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '|', '-', '+', '*', '=', '_', '`', '~', '<', '[', ':', '\\', '!':
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
