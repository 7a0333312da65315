package ingest

// Importer for the national catalog of administrative procedures (dvc-procedures.jsonl).
//
// The catalog export flattened the portal's HTML tables: cells and rows were concatenated
// without separators ("Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(...)Trực tiếp..."). The
// parsers below recover the rows by anchoring on what a cell can start with (a channel name
// followed at once by a time cell and a fee cell; a copy count such as "1 bản chính" glued to
// the next row; a document number such as 49/2019/QH14 glued to the next title) rather than on
// separators. What cannot be recovered with confidence is kept as text and reported in
// DVCProcedure.Problems, never guessed silently.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/kb"
	"golang.org/x/text/unicode/norm"
)

// DVCRecord is one line of the national catalog export (fields per shared/data/README.md).
// All fields are text as crawled; "" and "Không có thông tin" both mean the portal gave nothing.
type DVCRecord struct {
	Code               string `json:"ma_thu_tuc"`            // official code, e.g. 1.004222
	Title              string `json:"ten_thu_tuc"`           // procedure name
	URL                string `json:"detail_url"`            // page on dichvucong.gov.vn
	Decision           string `json:"so_quyet_dinh"`         // decision that published the procedure
	Level              string `json:"cap_thuc_hien"`         // Cấp bộ | Cấp tỉnh | Cấp xã, comma-separated
	Type               string `json:"loai_thu_tuc"`          // loại thủ tục
	Field              string `json:"linh_vuc"`              // lĩnh vực
	Applicants         string `json:"doi_tuong_thuc_hien"`   // đối tượng thực hiện
	CompetentAgency    string `json:"co_quan_co_tham_quyen"` // cơ quan có thẩm quyền
	ReceivingAddress   string `json:"dia_chi_tiep_nhan"`     // địa chỉ tiếp nhận hồ sơ
	AuthorizedAgency   string `json:"co_quan_duoc_uy_quyen"` // cơ quan được ủy quyền
	CoordinatingAgency string `json:"co_quan_phoi_hop"`      // cơ quan phối hợp
	RelatedProcedures  string `json:"thu_tuc_lien_quan"`     // thủ tục hành chính liên quan
	Steps              string `json:"trinh_tu_thuc_hien"`    // trình tự thực hiện
	Channels           string `json:"cach_thuc_thuc_hien"`   // flattened channel table
	Documents          string `json:"thanh_phan_ho_so"`      // flattened document table(s)
	LegalBasis         string `json:"can_cu_phap_ly"`        // flattened legal-basis table
	Agency             string `json:"co_quan_thuc_hien"`     // cơ quan thực hiện
	Conditions         string `json:"yeu_cau_dieu_kien"`     // yêu cầu, điều kiện
	Result             string `json:"ket_qua_xu_ly"`         // results, with portal UI text after them
	RawText            string `json:"raw_text"`              // the whole page as text
	FormalityID        string `json:"formality_id"`
	Ministry           string `json:"bo_nganh"` // crawler folder, e.g. bo-cong-an
}

// Channel is one row of the channel table: a way to submit, with its time and fee.
// A record may have several rows for one channel (one per fee variant); each is kept.
type Channel struct {
	Name     string    // "Trực tiếp" | "Trực tuyến" | "Dịch vụ bưu chính"
	Time     *Duration // nil when the record gives no number
	TimeText string    // the time cell when it is text without a number ("Không quy định"), else ""
	Fee      Fee
	Note     string // the free-text description, trimmed; "" when none
}

// Duration is a processing time as the record states it.
type Duration struct {
	Value float64
	Unit  string // "ngày làm việc", "ngày", "giờ", "tháng", ... or "" when the record gives a bare number
	Text  string // as written, e.g. "8 Ngày làm việc"
}

// Fee is the fee cell of a channel row.
type Fee struct {
	Kind     string  // "amount" | "free" | "see_note" (no amount, but the description talks about fees) | "none"
	Amounts  []int64 // in Currency units, from the fee cell
	Currency string  // "VND" or "USD"; "" when there is no amount
	Text     string  // the fee cell as written, e.g. "10,000 Việt Nam Đồng"
	Detail   string  // the explanation in parentheses that follows the fee cell, if any
}

// Fee kinds.
const (
	FeeAmount  = "amount"
	FeeFree    = "free"
	FeeSeeNote = "see_note"
	FeeNone    = "none"
)

// DocItem is one row of the document table.
type DocItem struct {
	Group string // case heading ("Giấy tờ phải nộp", "Trường hợp ..."), "" if none
	Name  string
	Form  string // attached form file name(s), "; "-separated; "" if none
	Count string // e.g. "1 bản chính, 1 bản sao"; "" when the row has none
}

// LegalRef is one row of the legal-basis table.
type LegalRef struct {
	Number string // e.g. 49/2019/QH14; "" when the row has no recognisable number
	Title  string
}

// DVCResult is one result of a procedure (what the applicant receives).
type DVCResult struct {
	Name string
	Code string // e.g. KQ.G01.000020; "" if none
}

// DVCProcedure is a catalog record with its tables recovered.
type DVCProcedure struct {
	Record    DVCRecord
	Channels  []Channel
	Documents []DocItem
	Legal     []LegalRef
	Results   []DVCResult
	Levels    []string
	Problems  []string // parse problems, not fatal
	// Knowledge is what the knowledge base says of the procedure (everyday names, action,
	// family…), nil when it does not know the code; the sheet then names the actions its
	// title gives.
	Knowledge *kb.Entry
}

// DVCStats counts what ReadDVC recovered.
type DVCStats struct {
	Records       int // lines read (excluding blank lines)
	WithChannels  int // records with at least one channel row
	WithFees      int // ... with a fee stated (amount or free) for at least one channel
	WithDeadlines int // ... with a numeric time for at least one channel
	WithDocuments int // ... with at least one document row
	WithLegal     int // ... with at least one legal-basis row
	Failed        int // records that could not be decoded or converted
}

// Table headers the export glued in front of the rows.
const (
	dvcChannelHeader = "Hình thức nộpThời gianPhí, lệ phíMô tả"
	dvcDocHeader     = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	dvcLegalHeader   = "Tên văn bản pháp lýMã văn bản"
	dvcNoInfo        = "Không có thông tin"
)

// dvcChannelNames are the channel names in the order the sheet lists them.
var dvcChannelNames = [...]string{"Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"}

// dvcTimeUnits are the time-cell units, longest first so "Ngày làm việc" wins over "Ngày".
var dvcTimeUnits = [...]string{"Ngày làm việc", "Giờ làm việc", "Ngày", "Giờ", "Tháng", "Tuần", "Năm", "Phút"}

// dvcTextTimes are time cells that hold text instead of a number.
var dvcTextTimes = [...]string{"Không quy định", "Không phải trả kết quả cho người nộp thuế", "Không"}

var (
	// dvcNumberRe finds numbers in free text (for cross-checking the fee cell with its note).
	dvcNumberRe = regexp.MustCompile(`\d[\d.,]*\d|\d`)
	// dvcUSDRe finds amounts in dollars in free text.
	dvcUSDRe = regexp.MustCompile(`(\d[\d.,]*)\s*USD`)
	// dvcFormExtRe matches a form file extension at the end of a document name.
	dvcFormExtRe    = regexp.MustCompile(`(?i)\.(docx|doc|pdf|xlsx|xls|rar|zip|odt)$`)
	dvcFormExtAnyRe = regexp.MustCompile(`(?i)\.(docx|doc|pdf|xlsx|xls|rar|zip|odt)`)
	// dvcLegalNumRe finds the start of a document number (the code after the year is read by hand).
	dvcLegalNumRe = regexp.MustCompile(`\d{1,5}(?:\.\d{1,3})?[a-z]?/(?:\d{4}/ ?[A-ZĐ]|\d{4}/?\s*$|[A-ZĐ])`)
	// dvcLegalNumStartRe matches a document number with an issuer code at the start of a text.
	dvcLegalNumStartRe = regexp.MustCompile(`^\d{1,5}(?:\.\d{1,3})?[a-z]?/(?:\d{4}/ ?)?[A-ZĐ]`)
	// dvcIDRe is what a sheet id may be (corpus/README.md); a catalog code becomes the id.
	dvcIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{0,127}$`)
	// dvcResultCodeRe finds result codes in ket_qua_xu_ly.
	dvcResultCodeRe = regexp.MustCompile(`Mã:\s*(KQ[.-]?(?:[A-Z]{0,2}\d+\.?)*)`)
	// dvcFormCodeRe and friends pull a short form code out of a form file name.
	dvcFormNumRe    = regexp.MustCompile(`(?i)m(?:ẫ|a)u\s*(?:số|so)?\s*(\d{1,3}[a-z]?)\b`)
	dvcFormAnnexRe  = regexp.MustCompile(`(?i)(?:ph(?:ụ|u) ?l(?:ục|uc)|\bPL)\s*([IVX]+[a-z]?|\d{1,3}[a-z]?)\b`)
	dvcFormHyphenRe = regexp.MustCompile(`^(\d{1,3}[a-z]?-[A-ZĐ]{2,6})\b`)
)

// ParseChannels recovers the rows of a cach_thuc_thuc_hien cell. It returns nil, nil when the
// record gives nothing and an error when text is present but no row can be recovered.
func ParseChannels(s string) ([]Channel, error) {
	chs, _, err := dvcParseChannels(norm.NFC.String(s))
	return chs, err
}

// dvcParseChannels is ParseChannels that also returns warnings: rows it recovered but had to
// interpret (a time and a fee run together, a fee cell contradicted by its note). s is NFC.
func dvcParseChannels(s string) ([]Channel, []string, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(t, dvcChannelHeader))
	if dvcMissing(t) {
		return nil, nil, nil
	}
	type start struct {
		at, bodyAt int
		name       string
		head       dvcRowHead
	}
	var starts []start
	var finder dvcChannelFinder
	for i := 0; i < len(t); {
		name, at := finder.next(t, i)
		if at < 0 {
			break
		}
		after := at + len(name)
		if head, n, ok := dvcParseRowHead(t[after:]); ok {
			starts = append(starts, start{at: at, bodyAt: after + n, name: name, head: head})
			i = after + n
			continue
		}
		i = after
	}
	var warns []string
	if len(starts) == 0 {
		// No row starts with a recognisable time cell. Rows whose time cell is free text still
		// start with a channel name glued to the previous row: take those.
		finder = dvcChannelFinder{}
		for i := 0; i < len(t); {
			name, at := finder.next(t, i)
			if at < 0 {
				break
			}
			after := at + len(name)
			i = after
			prev, _ := utf8.DecodeLastRuneInString(t[:at])
			next, _ := utf8.DecodeRuneInString(t[after:])
			if (at > 0 && unicode.IsSpace(prev)) || after == len(t) || unicode.IsSpace(next) || next == ':' {
				continue
			}
			starts = append(starts, start{at: at, bodyAt: after, name: name})
		}
		for k := range starts {
			end := len(t)
			if k+1 < len(starts) {
				end = starts[k+1].at
			}
			head, n := dvcLooseRowHead(t[starts[k].bodyAt:end])
			starts[k].head = head
			starts[k].bodyAt += n
		}
		if len(starts) == 0 {
			return nil, nil, errors.New("no channel row found")
		}
		warns = append(warns, "no row has a recognisable time cell; rows split at glued channel names")
	}
	if lead := impClean(t[:starts[0].at]); lead != "" {
		warns = append(warns, fmt.Sprintf("text before the first channel row ignored (%d bytes)", len(lead)))
	}
	chs := make([]Channel, 0, len(starts))
	for k, st := range starts {
		end := len(t)
		if k+1 < len(starts) {
			end = starts[k+1].at
		}
		body := t[st.bodyAt:end]
		ch := Channel{Name: st.name, Time: st.head.time, TimeText: st.head.timeText, Fee: st.head.fee}
		if st.head.runTogether != "" {
			w := dvcSplitTimeFee(&ch, st.head.runTogether, body)
			if w != "" {
				warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
			}
		}
		// The fee cell's own explanation follows it in parentheses; the rest is the description.
		if ch.Fee.Kind == FeeAmount || ch.Fee.Kind == FeeFree {
			if detail, rest, ok := dvcLeadingParens(body); ok {
				ch.Fee.Detail = impClean(detail)
				body = rest
			}
		}
		ch.Note = impClean(body)
		if ch.Fee.Kind == FeeNone && strings.Contains(strings.ToLower(ch.Note), "phí") {
			ch.Fee.Kind = FeeSeeNote
		}
		if w := dvcCheckFee(&ch); w != "" {
			warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
		}
		chs = append(chs, ch)
	}
	return chs, warns, nil
}

// dvcChannelFinder finds channel names in a text scanned left to right. It remembers where each
// name occurs next, so that the scan stays linear however many names the text holds.
type dvcChannelFinder struct {
	at    [len(dvcChannelNames)]int // next occurrence of each name (-1: none left)
	valid [len(dvcChannelNames)]bool
}

// next returns the first channel name in t at or after i, and where it is (-1 if none).
func (f *dvcChannelFinder) next(t string, i int) (string, int) {
	best, at := "", -1
	for k, n := range dvcChannelNames {
		if !f.valid[k] || (f.at[k] >= 0 && f.at[k] < i) {
			f.at[k], f.valid[k] = -1, true
			if j := strings.Index(t[i:], n); j >= 0 {
				f.at[k] = i + j
			}
		}
		if f.at[k] >= 0 && (at < 0 || f.at[k] < at) {
			best, at = n, f.at[k]
		}
	}
	return best, at
}

// dvcRowHead is the time and fee cells at the start of a channel row.
type dvcRowHead struct {
	time        *Duration
	timeText    string
	fee         Fee
	runTogether string // digits of a bare time and a fee amount run together ("120" for 1 + 20)
}

// dvcParseRowHead reads a time cell and a fee cell at the start of t (what follows a channel
// name). ok is false when t does not start like a row: then the channel name was part of a
// description ("Trực tiếp: nộp hồ sơ tại ...").
func dvcParseRowHead(t string) (h dvcRowHead, n int, ok bool) {
	switch {
	case strings.HasPrefix(t, dvcNoInfo):
		n = len(dvcNoInfo)
	case dvcDigitRun(t) > 0:
		d := t[:dvcDigitRun(t)]
		n = len(d)
		rest := t[n:]
		sp := 0
		if strings.HasPrefix(rest, " ") {
			sp = 1
		}
		if u := dvcPrefixFold(rest[sp:], dvcTimeUnits[:]); u != "" {
			v, err := dvcParseFloat(d)
			if err != nil {
				return h, 0, false
			}
			n += sp + len(u)
			h.time = &Duration{Value: v, Unit: strings.ToLower(u), Text: d + " " + u}
			break
		}
		if cur, cn := dvcCurrencyAt(rest); cn > 0 {
			// A bare time and an amount with nothing between them: "1" + "20 VNĐ" = "120 VNĐ".
			// dvcSplitTimeFee decides where to cut once the row's note is known.
			amt, err := dvcParseAmount(d)
			if err != nil {
				return h, 0, false
			}
			h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: d + rest[:cn]}
			h.runTogether = d
			n += cn
			return h, n + dvcMoreAmounts(t[n:], &h.fee), true
		}
		v, err := dvcParseFloat(d)
		if err != nil {
			return h, 0, false
		}
		h.time = &Duration{Value: v, Text: d}
	default:
		for _, tt := range dvcTextTimes {
			if strings.HasPrefix(t, tt) {
				h.timeText, n = tt, len(tt)
				break
			}
		}
		if n == 0 {
			return h, 0, false
		}
	}
	// Cells are glued, but a stray space or tab between them occurs.
	for n < len(t) && (t[n] == ' ' || t[n] == '\t') {
		n++
	}
	rest := t[n:]
	switch {
	case strings.HasPrefix(rest, "Miễn phí"):
		h.fee = Fee{Kind: FeeFree, Text: "Miễn phí"}
		n += len("Miễn phí")
	case strings.HasPrefix(rest, dvcNoInfo):
		h.fee = Fee{Kind: FeeNone}
		n += len(dvcNoInfo)
	default:
		dl := dvcDigitRun(rest)
		if dl == 0 {
			return h, 0, false
		}
		cur, cn := dvcCurrencyAt(rest[dl:])
		if cn == 0 {
			return h, 0, false
		}
		amt, err := dvcParseAmount(rest[:dl])
		if err != nil {
			return h, 0, false
		}
		h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: rest[:dl+cn]}
		n += dl + cn
		n += dvcMoreAmounts(t[n:], &h.fee)
	}
	return h, n, true
}

// dvcLooseRowHead reads a row whose time cell is free text: the time cell runs to the first fee
// cell glued to it ("...điện tử.Không có thông tin"). With no fee cell the row is all note.
func dvcLooseRowHead(t string) (dvcRowHead, int) {
	window := t[:min(len(t), 600)]
	for i, r := range window {
		if i == 0 || !(r == 'M' || r == 'K' || (r >= '0' && r <= '9')) {
			continue
		}
		if prev, _ := utf8.DecodeLastRuneInString(window[:i]); unicode.IsSpace(prev) || (prev >= '0' && prev <= '9') {
			continue
		}
		if h, n, ok := dvcParseRowHead(dvcNoInfo + t[i:min(len(t), i+256)]); ok && n > len(dvcNoInfo) {
			h.timeText = impClean(t[:i])
			return h, i + n - len(dvcNoInfo)
		}
	}
	return dvcRowHead{fee: Fee{Kind: FeeNone}}, 0
}

// dvcMoreAmounts reads further amounts glued to a fee cell and returns the bytes consumed.
func dvcMoreAmounts(t string, f *Fee) int {
	n := 0
	texts := []string{f.Text}
	defer func() { f.Text = strings.Join(texts, "; ") }()
	for {
		dl := dvcDigitRun(t[n:])
		if dl == 0 {
			return n
		}
		cur, cn := dvcCurrencyAt(t[n+dl:])
		if cn == 0 || cur != f.Currency {
			return n
		}
		amt, err := dvcParseAmount(t[n : n+dl])
		if err != nil {
			return n
		}
		f.Amounts = append(f.Amounts, amt)
		texts = append(texts, t[n:n+dl+cn])
		n += dl + cn
	}
}

// dvcCurrencyAt matches a currency word (after an optional space) at the start of t.
func dvcCurrencyAt(t string) (cur string, n int) {
	sp := 0
	if strings.HasPrefix(t, " ") {
		sp = 1
	}
	for _, c := range [...]struct{ word, cur string }{
		{"Việt Nam Đồng", "VND"}, {"VNĐ", "VND"}, {"VND", "VND"}, {"Đồng", "VND"}, {"đồng", "VND"}, {"USD", "USD"},
	} {
		if strings.HasPrefix(t[sp:], c.word) {
			return c.cur, sp + len(c.word)
		}
	}
	return "", 0
}

// dvcDigitRun returns the length of the number at the start of t: a digit followed by digits,
// '.' and ','; a trailing separator is not included. Overlong runs are not numbers.
func dvcDigitRun(t string) int {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return 0
	}
	n := 1
	for n < len(t) && (t[n] >= '0' && t[n] <= '9' || t[n] == '.' || t[n] == ',') {
		n++
	}
	for n > 0 && (t[n-1] == '.' || t[n-1] == ',') {
		n--
	}
	if n > 24 {
		return 0
	}
	return n
}

// dvcParseFloat parses a time value; ',' and '.' are both decimal marks in the time cell.
func dvcParseFloat(d string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(d, ",", "."), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("parse time %q: bad number", d)
	}
	return v, nil
}

// dvcParseAmount parses an amount; ',' and '.' are thousands separators in the fee cell.
func dvcParseAmount(d string) (int64, error) {
	digits := dvcDigitsOnly(d)
	if digits == "" || len(digits) > 15 {
		return 0, fmt.Errorf("parse amount %q: bad number", d)
	}
	return strconv.ParseInt(digits, 10, 64)
}

func dvcDigitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// dvcPrefixFold returns the first of words that t starts with, ignoring case.
func dvcPrefixFold(t string, words []string) string {
	for _, w := range words {
		if len(t) >= len(w) && strings.EqualFold(t[:len(w)], w) {
			return w
		}
	}
	return ""
}

// dvcNoteNumbers returns the digit strings of all numbers in s (separators removed).
func dvcNoteNumbers(s string) map[string]bool {
	nums := map[string]bool{}
	for _, m := range dvcNumberRe.FindAllString(s, -1) {
		nums[strings.TrimLeft(dvcDigitsOnly(m), "0")] = true
	}
	return nums
}

// dvcSplitTimeFee cuts a run of digits that holds a bare time and a fee amount ("1100 VNĐ" is
// "1" and "100"). It prefers the cut whose amount the row's note confirms; otherwise it takes
// a one-digit time, the most common case, and says so.
func dvcSplitTimeFee(ch *Channel, run, body string) string {
	lead := run
	if i := strings.IndexAny(run, ".,"); i >= 0 {
		lead = run[:i]
	}
	nums := dvcNoteNumbers(body)
	type cut struct {
		time, amount string
	}
	var cuts []cut
	for k := 1; k < len(lead); k++ {
		if a := run[k:]; dvcValidAmount(a) {
			cuts = append(cuts, cut{run[:k], a})
		}
	}
	if len(cuts) == 0 {
		return "" // a single digit: an amount with no time
	}
	chosen, sure := cuts[0], false
	for _, c := range cuts {
		d := strings.TrimLeft(dvcDigitsOnly(c.amount), "0")
		if d != "" && (nums[d] || nums[d+"000"]) {
			chosen, sure = c, true
			break
		}
	}
	v, _ := dvcParseFloat(chosen.time)
	amt, _ := dvcParseAmount(chosen.amount)
	ch.Time = &Duration{Value: v, Text: chosen.time}
	ch.Fee.Amounts[0] = amt
	ch.Fee.Text = strings.Replace(ch.Fee.Text, run, chosen.amount, 1)
	if sure {
		return ""
	}
	return fmt.Sprintf("time and fee run together in %q; read as time %s and amount %s", run, chosen.time, chosen.amount)
}

// dvcValidAmount reports whether a is a well-formed amount: no leading zero, and thousands
// groups of three digits when separated.
func dvcValidAmount(a string) bool {
	if a == "" || a[0] < '0' || a[0] > '9' || (a[0] == '0' && len(a) > 1) {
		return false
	}
	groups := strings.FieldsFunc(a, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) == 1 {
		return true
	}
	if len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// dvcCheckFee cross-checks the fee cell with the row's own text. Some records store a fee in
// thousands ("20 VNĐ (20.000 đồng/tờ khai)") or in the wrong currency ("155 VNĐ (... 155
// USD/thẻ)"); when the note states the corrected value the cell is corrected and a warning
// returned.
func dvcCheckFee(ch *Channel) string {
	f := &ch.Fee
	text := f.Detail + " " + ch.Note
	switch f.Kind {
	case FeeAmount:
		if f.Currency != "VND" {
			return ""
		}
		for _, m := range dvcUSDRe.FindAllStringSubmatch(text, -1) {
			if d := dvcDigitsOnly(m[1]); len(f.Amounts) == 1 && d == strconv.FormatInt(f.Amounts[0], 10) {
				f.Currency = "USD"
				return fmt.Sprintf("fee cell %q is in dollars per its note", f.Text)
			}
		}
		nums := dvcNoteNumbers(text)
		var warn string
		for i, a := range f.Amounts {
			if a > 0 && a < 1000 && !nums[strconv.FormatInt(a, 10)] && nums[strconv.FormatInt(a*1000, 10)] {
				f.Amounts[i] = a * 1000
				warn = fmt.Sprintf("fee cell %q read in thousands per its note", f.Text)
			}
		}
		return warn
	case FeeFree:
		if f.Detail != "" && (dvcUSDRe.MatchString(f.Detail) || strings.Contains(strings.ToLower(f.Detail), "000 đ")) {
			return "fee cell says free but its note states an amount"
		}
	}
	return ""
}

// dvcLeadingParens splits a parenthesised text at the start of s (after blanks) from the rest.
// Parentheses nest; an unclosed group runs to the end of s.
func dvcLeadingParens(s string) (inner, rest string, ok bool) {
	t := strings.TrimLeft(s, " \t")
	if !strings.HasPrefix(t, "(") {
		return "", s, false
	}
	depth := 0
	for i, r := range t {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return t[1:i], t[i+1:], true
			}
		}
	}
	return t[1:], "", true
}

// ParseDocuments recovers the rows of a thanh_phan_ho_so cell, with the case heading of each
// group. It returns nil, nil when the record gives nothing and an error when the cell holds
// text but no document table.
func ParseDocuments(s string) ([]DocItem, error) {
	items, _, err := dvcParseDocuments(norm.NFC.String(s))
	return items, err
}

// errNoDocTable says a thanh_phan_ho_so cell holds no table: the crawler sometimes stored other
// text there.
var errNoDocTable = errors.New("no document table")

// dvcParseDocuments is ParseDocuments that also returns warnings. s is NFC.
func dvcParseDocuments(s string) ([]DocItem, []string, error) {
	t := strings.TrimSpace(s)
	if dvcMissing(t) || strings.Trim(t, "- ") == "" {
		return nil, nil, nil
	}
	parts := strings.Split(t, dvcDocHeader)
	if len(parts) == 1 {
		return nil, nil, errNoDocTable
	}
	var items []DocItem
	var warns []string
	group := dvcDocHeading(parts[0])
	for i, seg := range parts[1:] {
		rows, tail := dvcDocRows(seg)
		for _, r := range rows {
			r.Group = group
			items = append(items, r)
		}
		if i+1 < len(parts)-1 {
			group = dvcDocHeading(tail) // text after the last row heads the next table
			continue
		}
		if tail = strings.TrimSpace(tail); strings.Trim(tail, "-* ") != "" {
			// A last row without a count.
			name, forms := dvcSplitForms(tail)
			d := DocItem{Group: group, Name: dvcCleanDocName(name), Form: strings.Join(forms, "; ")}
			if d.Name == "" {
				d.Name = d.Form
			}
			if d.Name != "" {
				items = append(items, d)
				warns = append(warns, "last document row has no count")
			}
		}
	}
	return items, warns, nil
}

// dvcDocHeading cleans a case heading: "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; "--" → "".
func dvcDocHeading(s string) string {
	h := impClean(s)
	h = strings.TrimLeft(h, "-*+• ")
	h = strings.TrimRight(h, ": ")
	return h
}

// dvcDocRows splits one table's rows. Each row ends with a count cell; the text after the last
// count (the next table's heading, if any) is returned as tail.
func dvcDocRows(seg string) (rows []DocItem, tail string) {
	prev := 0
	var raws []string // name+form text of each row, before cleaning
	for _, m := range dvcFindCounts(seg) {
		end := m[1]
		// A count cell is glued to what follows (the next row or the end). A count followed by a
		// space or punctuation is prose inside a name: "(01 bản chính hoặc ...)".
		if end < len(seg) {
			r, _ := utf8.DecodeRuneInString(seg[end:])
			if unicode.IsSpace(r) || strings.ContainsRune(".,;:)]", r) {
				continue
			}
			if dvcCountEnd(seg, end) > end {
				continue // "01 bản chính" + "1 bản chính": the second one is the cell
			}
		}
		count := dvcCount(seg[m[0]:m[1]])
		name := seg[prev:m[0]]
		prev = end
		if strings.Trim(name, " -;,.") == "" && len(rows) > 0 {
			// Nothing between two counts: the first was prose at the end of the name.
			raws[len(raws)-1] += strings.TrimSpace(rows[len(rows)-1].Count) + name
			rows[len(rows)-1].Count = count
			continue
		}
		rows = append(rows, DocItem{Count: count})
		raws = append(raws, name)
	}
	out := rows[:0]
	for i, r := range rows {
		name, forms := dvcSplitForms(raws[i])
		r.Name = dvcCleanDocName(name)
		r.Form = strings.Join(forms, "; ")
		if r.Name == "" {
			r.Name = r.Form
		}
		if r.Name != "" { // a count with no name is nothing to list
			out = append(out, r)
		}
	}
	return out, seg[prev:]
}

// dvcFindCounts finds the copy-count cells in s: "1 bản chính", "1 bản chính,1 bản sao",
// "1 bản sao". One digit only: a longer number is the end of the name glued to the count
// ("...năm 2026" + "1 bản chính").
func dvcFindCounts(s string) [][2]int {
	var cells [][2]int
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], " bản ")
		if j < 0 {
			break
		}
		if at := i + j - 1; at >= 0 {
			if end := dvcCountEnd(s, at); end > at {
				cells = append(cells, [2]int{at, end})
				i = end
				continue
			}
		}
		i += j + 1
	}
	return cells
}

// dvcCountEnd returns the end of the count cell starting at s[at], or at if there is none.
func dvcCountEnd(s string, at int) int {
	if at >= len(s) || s[at] < '0' || s[at] > '9' {
		return at
	}
	rest := s[at+1:]
	switch {
	case strings.HasPrefix(rest, " bản chính"):
		end := at + 1 + len(" bản chính")
		k := end
		if k < len(s) && s[k] == ',' {
			k++
			if k < len(s) && s[k] == ' ' {
				k++
			}
			if k < len(s) && s[k] >= '0' && s[k] <= '9' && strings.HasPrefix(s[k+1:], " bản sao") {
				end = k + 1 + len(" bản sao")
			}
		}
		return end
	case strings.HasPrefix(rest, " bản sao"):
		return at + 1 + len(" bản sao")
	}
	return at
}

// dvcCount normalises a count cell: "1 bản chính,1 bản sao" → "1 bản chính, 1 bản sao".
func dvcCount(s string) string {
	return strings.Replace(strings.Replace(s, ",", ", ", 1), ",  ", ", ", 1)
}

func dvcCleanDocName(s string) string {
	n := impClean(s)
	n = strings.TrimLeft(n, "-+*• ")
	n = strings.TrimRight(n, " ;,:")
	if strings.HasSuffix(n, ".") && !strings.HasSuffix(n, "..") {
		n = n[:len(n)-1]
	}
	return n
}

// dvcSplitForms cuts the form file names glued to the end of a document name
// ("...theo mẫu TK01.Mau TK01.docx"). It returns the name and the files in order.
func dvcSplitForms(s string) (string, []string) {
	rest := strings.TrimRight(s, " \t\n")
	var forms []string
	for k := 0; k < 8; k++ {
		loc := dvcFormExtRe.FindStringIndex(rest)
		if loc == nil {
			break
		}
		b := dvcFormStart(rest, loc[0])
		forms = append([]string{impClean(rest[b:])}, forms...)
		rest = strings.TrimRight(rest[:b], " \t\n")
	}
	return rest, forms
}

// dvcFormStart finds where the file name that ends at extAt (the '.' of its extension) starts.
// A file name is glued to the document name, so its start is a glue point inside a
// space-separated token: after a previous file's extension, after closing punctuation (";",
// ")", "." after a letter), at a case change ("anMẫu", "CPMau04") or at a glued "mẫu". Tokens are
// examined from the right; in the first token with a glue point the leftmost one is taken
// (file names contain dots and capitals of their own: "Ms03.DT.docx"). With no glue point the
// file name is taken to be the last token.
func dvcFormStart(s string, extAt int) int {
	limit := max(0, extAt-240)
	te := extAt
	lastTokenStart, keywordStart := -1, -1
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	for te > limit {
		ts := max(strings.LastIndexAny(s[limit:te], " \t\n")+1+limit, limit)
		if lastTokenStart < 0 {
			lastTokenStart = ts
		}
		if keywordStart < 0 && extAt-ts < 120 && dvcFormKeyword(s[ts:]) {
			keywordStart = ts
		}
		tokEnd := te
		if te == extAt {
			tokEnd = extAt // never cut inside the extension itself
		}
		if b := dvcGluePoint(s, ts, tokEnd); b >= 0 {
			return b
		}
		te = ts - 1
		for te > 0 && (s[te-1] == ' ' || s[te-1] == '\t' || s[te-1] == '\n') {
			te--
		}
		if ts <= limit {
			break
		}
	}
	switch {
	case keywordStart >= 0:
		return keywordStart // "... NĐ-CP3 Mẫu số 07.docx": the file name starts with a form word
	case lastTokenStart >= 0:
		return lastTokenStart
	}
	return extAt
}

// dvcFormKeyword reports whether s starts with a word that begins form file names.
func dvcFormKeyword(s string) bool {
	for _, kw := range [...]string{"mẫu", "mau", "Mẫu", "Mau", "MẪU", "MAU", "Phụ lục", "phụ lục", "Phu luc", "phu luc", "PHỤ LỤC", "PL"} {
		if strings.HasPrefix(s, kw) {
			return true
		}
	}
	return false
}

// dvcGluePoint returns the glue point in s[ts:te] (see dvcFormStart), or -1.
func dvcGluePoint(s string, ts, te int) int {
	tok := s[ts:te]
	// After a previous file's extension: the rightmost such point wins.
	exts := dvcFormExtAnyRe.FindAllStringIndex(tok, -1)
	for k := len(exts) - 1; k >= 0; k-- {
		if i := exts[k][1]; i < len(tok) {
			if r, _ := utf8.DecodeRuneInString(tok[i:]); unicode.IsLetter(r) {
				return ts + i
			}
		}
	}
	var prev2, prev rune = -1, -1
	for i, r := range tok {
		if i > 0 && dvcIsGlue(tok[:i], prev2, prev, r, tok[i:]) {
			return ts + i
		}
		prev2, prev = prev, r
	}
	return -1
}

// dvcIsGlue reports whether a file name can start at rune r (rest is the text from r on),
// given the token text before it and its last two runes.
func dvcIsGlue(before string, prev2, prev, r rune, rest string) bool {
	alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
	switch {
	case !alnum:
		return false
	case strings.ContainsRune(";:)]”\"’", prev):
		return true
	case prev == '.' || prev == ',':
		// After a word or a year ("...Chính phủ.M03b.pdf", "30/6/2023.NA5.doc"), not after a
		// short number, which belongs to the file name ("Mau so 03.HNTY_cap lai.docx").
		return unicode.IsLetter(prev2) || prev2 == ')' || (unicode.IsUpper(r) && dvcEndsWithYear(before[:len(before)-1]))
	case unicode.IsLower(prev) && unicode.IsUpper(r):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(r):
		// An acronym glued to a word: "CPMau04" (but not "TTgGiấy", where "Tg" is no word).
		rs := []rune(rest)
		return len(rs) >= 3 && unicode.IsLower(rs[1]) && unicode.IsLower(rs[2])
	case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '.':
		// A form word glued on: "hết hạnmau so 20.doc", "2026.Mau 2a.docx".
		return (strings.HasPrefix(rest, "mẫu") || strings.HasPrefix(rest, "mau") || strings.HasPrefix(rest, "Mau") ||
			strings.HasPrefix(rest, "Mẫu") || strings.HasPrefix(rest, "phụ lục")) && !dvcWordContinues(prev2, prev)
	}
	return false
}

// dvcEndsWithYear reports whether s ends with four digits (a year), not part of a dotted number.
func dvcEndsWithYear(s string) bool {
	if len(s) < 4 {
		return false
	}
	y := s[len(s)-4:]
	return strings.Trim(y, "0123456789") == "" && (len(s) == 4 || !strings.ContainsRune("0123456789.", rune(s[len(s)-5])))
}

// dvcWordContinues reports whether the two runes before a glued form word are the end of a
// word that could go on with it ("tha" + "mau"? no such word; kept simple: a lone letter after
// a space, as in "y mau", is not glue).
func dvcWordContinues(prev2, prev rune) bool {
	return unicode.IsSpace(prev2) && unicode.IsLetter(prev) && unicode.IsLower(prev)
}

// FormCode returns a short code for a form file name: "TK01" from "Mẫu TK01 Tờ khai.docx",
// "số 04" from "Mẫu số 04.docx", "phụ lục II" from "Phụ lục II.docx"; "" when there is none.
func FormCode(form string) string {
	stem := dvcFormExtRe.ReplaceAllString(strings.TrimSpace(form), "")
	if m := dvcFormNumRe.FindStringSubmatch(stem); m != nil {
		if h := dvcFormHyphenRe.FindStringSubmatch(stem[strings.Index(stem, m[1]):]); h != nil {
			return "số " + h[1] // "Mẫu số 13-HSB"
		}
		return "số " + m[1]
	}
	if m := dvcFormAnnexRe.FindStringSubmatch(stem); m != nil {
		return "phụ lục " + m[1]
	}
	if c := dvcLetterDigitCode(stem); c != "" {
		return c
	}
	if h := dvcFormHyphenRe.FindStringSubmatch(stem); h != nil {
		return "số " + h[1] // "14-HSB"
	}
	return ""
}

// dvcLetterDigitCode finds a code such as TK01, NA12, M03b, CT01 (in "MuCT01..."): 1-5 capitals
// not preceded by a capital, 1-4 digits, optionally one lower-case letter that ends the word.
func dvcLetterDigitCode(s string) string {
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !unicode.IsUpper(rs[i]) || (i > 0 && unicode.IsUpper(rs[i-1])) {
			continue
		}
		j := i
		for j < len(rs) && unicode.IsUpper(rs[j]) && j-i < 6 {
			j++
		}
		if j-i > 5 {
			continue
		}
		k := j
		for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' && k-j <= 4 {
			k++
		}
		if k == j || k-j > 4 || (k < len(rs) && unicode.IsDigit(rs[k])) {
			continue
		}
		if k < len(rs) && unicode.IsLower(rs[k]) && (k+1 == len(rs) || !unicode.IsLetter(rs[k+1])) {
			k++
		}
		return string(rs[i:k])
	}
	return ""
}

// ParseLegalBasis recovers the rows of a can_cu_phap_ly cell: each is a title followed by the
// document number. It returns nil, nil when the record gives nothing.
func ParseLegalBasis(s string) ([]LegalRef, error) {
	refs, _, err := dvcParseLegal(norm.NFC.String(s))
	return refs, err
}

// dvcKnownAgencyCodes are issuer codes that end document numbers. They tell where a number glued
// to the next title ends: "TT-BTCThông tư" is BTC + Thông, "TT-BCAngày" is BCA + ngày.
var dvcKnownAgencyCodes = [...]string{
	"BNNPTNT", "BLĐTBXH", "VKSNDTC", "BVHTTDL", "UBTVQH", "TANDTC", "BTTTT", "BNNMT", "BTNMT", "BGTVT", "BKHĐT",
	"BKHCN", "BGDĐT", "TTLT", "NHNN", "VPCP", "HĐND", "UBND", "HĐTP", "VBHN", "BTC", "BCA", "BTP", "BXD", "BCT",
	"BYT", "BNV", "BQP", "BNG", "BTTT", "BHXH", "VPQH", "KTNN", "CP", "QH", "NĐ", "TT", "QĐ", "NQ",
}

// dvcParseLegal is ParseLegalBasis that also returns warnings. s is NFC.
func dvcParseLegal(s string) ([]LegalRef, []string, error) {
	t := strings.TrimSpace(s)
	if dvcMissing(t) {
		return nil, nil, nil
	}
	if !strings.HasPrefix(t, dvcLegalHeader) {
		return nil, nil, errors.New("no legal-basis table")
	}
	t = t[len(dvcLegalHeader):]
	if i := strings.Index(t, "Cơ quan thực hiện"); i >= 0 {
		t = t[:i] // the next section's label, left in by the crawler
	}
	if dvcMissing(t) {
		return nil, nil, nil
	}
	var refs []LegalRef
	var warns []string
	rowStart := 0
	// The search resumes after each number found (not after the regex match), so that a
	// number glued to the end of another ("QH14" + "49/2019/QH14") is seen from its start.
	for pos := 0; pos < len(t); {
		loc := dvcLegalNumRe.FindStringIndex(t[pos:])
		if loc == nil {
			break
		}
		loc[0], loc[1] = loc[0]+pos, loc[1]+pos
		numAt := loc[0]
		if numAt > pos && t[numAt-1] >= '0' && t[numAt-1] <= '9' {
			// Digits glued in front: a year ending the title ("năm 2013" + "65/2014/NĐ-CP")
			// gives the number; anything else means this is inside a longer number.
			run := numAt
			for run > pos && t[run-1] >= '0' && t[run-1] <= '9' {
				run--
			}
			if !dvcYearPrefix(t[run:]) {
				pos = loc[1]
				continue
			}
			numAt = run + 4
		}
		var end int
		if r, _ := utf8.DecodeLastRuneInString(t[:loc[1]]); !unicode.IsUpper(r) {
			end = loc[1] // a number without an issuer code ("24/2024")
		} else {
			codeAt := loc[0] + strings.LastIndexByte(t[loc[0]:loc[1]], '/') + 1
			if end = dvcLegalNumEnd(t, codeAt); strings.TrimSpace(t[codeAt:end]) == "" {
				pos = loc[1] // no issuer code after all ("12/Đây ...")
				continue
			}
		}
		pos = end
		if !dvcLegalRowEnds(t[numAt:end], t[end:]) {
			continue
		}
		cellStart := dvcLegalCellStart(t, rowStart, numAt)
		title := strings.TrimRight(impClean(t[rowStart:cellStart]), " ;,.:-")
		prefix := impClean(t[cellStart:numAt])
		if title == "" {
			title = prefix
		}
		refs = append(refs, LegalRef{Number: dvcNormalizeLegalNumber(strings.TrimRight(t[numAt:end], "/ ")), Title: title})
		rowStart = end
	}
	if rest := strings.TrimRight(impClean(t[rowStart:]), " ;,."); rest != "" {
		refs = append(refs, LegalRef{Title: rest})
		warns = append(warns, "legal-basis row without a recognisable number")
	}
	return dvcDedupeLegal(refs), warns, nil
}

// dvcYearPrefix reports whether digits start with a year (19xx, 20xx) followed by more digits.
func dvcYearPrefix(s string) bool {
	return len(s) > 5 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) &&
		s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] >= '0' && s[4] <= '9'
}

// dvcLegalRowEnds reports whether a number followed by rest ends a row: the next title is
// glued to it, or only punctuation is left. A number followed by a space or punctuation and
// more text is a reference inside a title.
func dvcLegalRowEnds(num, rest string) bool {
	if strings.Trim(rest, " \t\n.;,") == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if r >= '0' && r <= '9' {
		// Another number glued on: the same one is this row's number cell after a title that
		// ends with it ("Thông tư 80/2021/TT-BTC" + "80/2021/TT-BTC"); a different one is the
		// next row's.
		if dvcLegalNumStartRe.MatchString(rest[:min(len(rest), 48)]) {
			return !strings.HasPrefix(rest, num)
		}
		return false
	}
	return unicode.IsLetter(r) || r == '(' || r == '[' || r == '“'
}

// dvcLegalNumEnd returns the end of the document number whose code starts at i (just after the
// year and its slash): uppercase segments joined by '-', cut where a glued title begins.
func dvcLegalNumEnd(t string, i int) int {
	if i < len(t) && t[i] == ' ' {
		i++
	}
	prevEnd := i
	for {
		segStart := i
		for i < len(t) {
			r, size := utf8.DecodeRuneInString(t[i:])
			if unicode.IsDigit(r) && strings.HasSuffix(t[segStart:i], "QH") {
				// QH + legislature number (QH14): two digits at most, the rest is the next cell.
				i += min(2, dvcDigitRun(t[i:]))
				break
			}
			if !(unicode.IsUpper(r) || unicode.IsDigit(r)) {
				break
			}
			i += size
		}
		seg := t[segStart:i]
		if i < len(t) {
			r, _ := utf8.DecodeRuneInString(t[i:])
			switch {
			case r == 'g' && strings.HasSuffix(seg, "TT"):
				i++ // QĐ-TTg
			case unicode.IsLower(r):
				if cut := dvcCodeCut(seg); cut > 0 || prevEnd == segStart {
					return segStart + cut
				}
				return prevEnd // "NĐ-CP-Quy định": the last segment is a word
			default:
				if !dvcIsAgencyCode(seg) {
					// An all-capitals title glued on: "TT-BXDLUẬT HÀNG KHÔNG".
					if cut := dvcKnownPrefix(seg); cut > 0 {
						return segStart + cut
					}
				}
			}
		}
		// Continue over "-XYZ", "/XYZ", "_XYZ" (also "NĐ -CP", "QĐ- TTg", but not " - ", a dash
		// before a title).
		j := i
		spaceBefore := j+1 < len(t) && t[j] == ' ' && t[j+1] == '-'
		if spaceBefore {
			j++
		}
		if j+1 < len(t) && (t[j] == '-' || t[j] == '/' || t[j] == '_') {
			k := j + 1
			if k+1 < len(t) && t[k] == ' ' && t[j] == '-' && !spaceBefore {
				k++
			}
			if r, _ := utf8.DecodeRuneInString(t[k:]); unicode.IsUpper(r) {
				prevEnd, i = i, k
				continue
			}
		}
		return i
	}
}

// dvcCodeCut returns how much of seg belongs to the number when a lower-case letter follows it:
// the whole segment when it is a known code, the longest known code it starts with, else all
// but its last capital (which starts the next word, as in "NĐ-CQuy định"); 0 when the segment
// is that one capital.
func dvcCodeCut(seg string) int {
	if dvcIsAgencyCode(seg) {
		return len(seg)
	}
	if cut := dvcKnownPrefix(seg); cut > 0 {
		return cut
	}
	_, size := utf8.DecodeLastRuneInString(seg)
	return len(seg) - size
}

// dvcKnownPrefix returns the length of the longest known code that is a proper prefix of seg
// (of at least two letters), or 0.
func dvcKnownPrefix(seg string) int {
	for cut := len(seg) - 1; cut > 1; cut-- {
		if utf8.RuneStart(seg[cut]) && dvcIsAgencyCode(seg[:cut]) {
			return cut
		}
	}
	return 0
}

func dvcIsAgencyCode(s string) bool {
	for _, c := range dvcKnownAgencyCodes {
		if s == c {
			return true
		}
	}
	// QH with a legislature number: QH13, QH14, QH15.
	return len(s) > 2 && strings.HasPrefix(s, "QH") && strings.Trim(s[2:], "0123456789") == ""
}

// dvcLegalCellStart moves the start of a number cell back over a document-type word glued to
// the previous title ("...tín dụngLuật số 32/2024/QH15": the cell is "Luật số 32/2024/QH15").
func dvcLegalCellStart(t string, rowStart, numAt int) int {
	before := t[rowStart:numAt]
	for _, p := range [...]string{"Luật số ", "Luật số", "Nghị định số ", "Nghị định ", "Thông tư số ", "Thông tư ", "Thông tư",
		"Quyết định số ", "Quyết định ", "Nghị quyết số ", "Nghị quyết ", "Luật ", "Luật", "TT"} {
		if !strings.HasSuffix(before, p) {
			continue
		}
		at := len(before) - len(p)
		if at == 0 {
			return rowStart + at
		}
		r, _ := utf8.DecodeLastRuneInString(before[:at])
		if !unicode.IsSpace(r) {
			return rowStart + at
		}
		return numAt
	}
	return numAt
}

// dvcLegalNumberFixer rewrites the stray spaces and separators of document numbers.
var dvcLegalNumberFixer = strings.NewReplacer(" -", "-", "- ", "-", "/ ", "/", "_", "-")

// dvcNormalizeLegalNumber removes stray spaces from a number: "39/2026/NĐ -CP" → "39/2026/NĐ-CP".
func dvcNormalizeLegalNumber(s string) string {
	return dvcLegalNumberFixer.Replace(strings.TrimSpace(s))
}

// dvcDedupeLegal drops repeated numbers, keeping the longer title (the export repeats a row
// when its title is itself the number: "Nghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CP").
func dvcDedupeLegal(refs []LegalRef) []LegalRef {
	seen := map[string]int{}
	out := refs[:0]
	for _, r := range refs {
		if r.Number != "" {
			if i, ok := seen[r.Number]; ok {
				if len(r.Title) > len(out[i].Title) {
					out[i].Title = r.Title
				}
				continue
			}
			seen[r.Number] = len(out)
		}
		out = append(out, r)
	}
	return out
}

// dvcParseResults reads ket_qua_xu_ly: "<name>Mã: KQ...<name>Mã: KQ...Từ khóa..." followed by
// portal UI text, which is dropped.
func dvcParseResults(s string) []DVCResult {
	t := strings.TrimSpace(s)
	if i := strings.Index(t, "Từ khóa"); i >= 0 {
		t = t[:i]
	}
	if dvcMissing(t) {
		return nil
	}
	var res []DVCResult
	prev := 0
	for _, m := range dvcResultCodeRe.FindAllStringSubmatchIndex(t, -1) {
		name := strings.TrimRight(impClean(t[prev:m[0]]), " ;,")
		code := strings.TrimRight(t[m[2]:m[3]], ".-")
		if name != "" {
			res = append(res, DVCResult{Name: name, Code: code})
		} else if len(res) > 0 && res[len(res)-1].Code == "" {
			res[len(res)-1].Code = code
		}
		prev = m[1]
	}
	if rest := impClean(t[prev:]); rest != "" && !dvcMissing(rest) {
		res = append(res, DVCResult{Name: rest})
	}
	return res
}

// dvcRaw holds sections of raw_text, found by their labels and by the table header that must
// follow them. The crawler cut its fields at the first occurrence of each label, which goes
// wrong when a label also occurs in an earlier section ("... tại mục 3.3 (Thành phần hồ sơ)",
// a fee note that says "Căn cứ pháp lý: ..."). Only used to repair fields that fail validation.
type dvcRaw struct {
	channels, documents, legal, result             string
	hasChannels, hasDocuments, hasLegal, hasResult bool
}

func dvcRawSections(raw string) dvcRaw {
	const (
		labChannels = "Cách Thức Thực Hiện"
		labDocs     = "Thành phần hồ sơ"
		labLegal    = "Căn cứ pháp lý"
		labAgency   = "Cơ quan thực hiện"
		labResult   = "Kết quả xử lý"
	)
	var r dvcRaw
	legalAt := -1
	for off := 0; ; {
		i := strings.Index(raw[off:], labLegal)
		if i < 0 {
			break
		}
		at := off + i
		rest := raw[at+len(labLegal):]
		if strings.HasPrefix(rest, dvcLegalHeader) || strings.HasPrefix(rest, dvcNoInfo) || strings.HasPrefix(rest, labAgency) {
			legalAt = at
			break
		}
		off = at + len(labLegal)
	}
	if legalAt >= 0 {
		body := raw[legalAt+len(labLegal):]
		if j := strings.Index(body, labAgency); j >= 0 {
			body = body[:j]
		}
		r.legal, r.hasLegal = body, true
	}
	docsAt := -1
	if h := strings.Index(raw, dvcDocHeader); h >= 0 {
		docsAt = strings.LastIndex(raw[:h], labDocs)
	} else if legalAt >= 0 {
		docsAt = strings.LastIndex(raw[:legalAt], labDocs)
	}
	if docsAt >= 0 {
		end := len(raw)
		if legalAt > docsAt {
			end = legalAt
		} else if j := strings.Index(raw[docsAt:], labLegal); j >= 0 {
			end = docsAt + j
		}
		r.documents, r.hasDocuments = raw[docsAt+len(labDocs):end], true
	}
	if at := strings.Index(raw, labChannels+dvcChannelHeader); at >= 0 {
		end := len(raw)
		switch {
		case docsAt > at:
			end = docsAt
		case legalAt > at:
			end = legalAt
		}
		r.channels, r.hasChannels = raw[at+len(labChannels):end], true
	}
	if at := strings.LastIndex(raw, labResult); at >= 0 {
		r.result, r.hasResult = raw[at+len(labResult):], true
	}
	return r
}

// nfc returns the record with every field but RawText in Unicode NFC: some records are
// decomposed (NFD), and every match below is on composed text. RawText, large and rarely
// needed, is normalised when it is used.
func (rec DVCRecord) nfc() DVCRecord {
	for _, f := range [...]*string{&rec.Code, &rec.Title, &rec.URL, &rec.Decision, &rec.Level, &rec.Type, &rec.Field,
		&rec.Applicants, &rec.CompetentAgency, &rec.ReceivingAddress, &rec.AuthorizedAgency, &rec.CoordinatingAgency,
		&rec.RelatedProcedures, &rec.Steps, &rec.Channels, &rec.Documents, &rec.LegalBasis, &rec.Agency,
		&rec.Conditions, &rec.Result, &rec.FormalityID, &rec.Ministry} {
		*f = norm.NFC.String(*f)
	}
	return rec
}

// ParseDVC recovers the tables of a catalog record. It never fails: what cannot be recovered is
// listed in Problems.
func ParseDVC(rec DVCRecord) DVCProcedure {
	rec = rec.nfc()
	p := DVCProcedure{Record: rec}
	var raw *dvcRaw
	rawSecs := func() *dvcRaw {
		if raw == nil {
			r := dvcRawSections(norm.NFC.String(rec.RawText))
			raw = &r
		}
		return raw
	}
	problem := func(format string, args ...any) { p.Problems = append(p.Problems, fmt.Sprintf(format, args...)) }

	for _, l := range strings.Split(rec.Level, ",") {
		if l = impClean(l); l != "" {
			p.Levels = append(p.Levels, l)
		}
	}

	// Legal basis first: a broken legal field means the crawler cut the fields at the wrong
	// label, and the channel field is then truncated too.
	legalField := rec.LegalBasis
	crawlerSplitWrong := false
	if t := strings.TrimSpace(legalField); !dvcMissing(t) && !strings.HasPrefix(t, dvcLegalHeader) {
		crawlerSplitWrong = true
		if r := rawSecs(); r.hasLegal {
			legalField = dvcLegalHeader + strings.TrimPrefix(r.legal, dvcLegalHeader)
			problem("can_cu_phap_ly held other text; recovered from raw_text")
		}
	}
	refs, warns, err := dvcParseLegal(legalField)
	if err != nil {
		problem("parse legal basis: %v", err)
	}
	p.Legal = refs
	for _, w := range warns {
		problem("legal basis: %s", w)
	}

	chs, warns, err := dvcParseChannels(rec.Channels)
	if r := rawSecs(); r.hasChannels && (crawlerSplitWrong || err != nil) {
		if rchs, rwarns, rerr := dvcParseChannels(r.channels); rerr == nil && len(rchs) > len(chs) {
			chs, warns, err = rchs, rwarns, nil
			problem("cach_thuc_thuc_hien was truncated; recovered from raw_text")
		}
	}
	if err != nil {
		problem("parse channels: %v", err)
	}
	p.Channels = chs
	for _, w := range warns {
		problem("channels: %s", w)
	}

	docs, warns, err := dvcParseDocuments(rec.Documents)
	if errors.Is(err, errNoDocTable) {
		if r := rawSecs(); r.hasDocuments {
			if rdocs, rwarns, rerr := dvcParseDocuments(r.documents); rerr == nil {
				docs, warns, err = rdocs, rwarns, nil
				problem("thanh_phan_ho_so held other text; recovered from raw_text")
			}
		}
	}
	if err != nil {
		problem("parse documents: %v", err)
	}
	p.Documents = docs
	for _, w := range warns {
		problem("documents: %s", w)
	}

	resultField := rec.Result
	if !strings.Contains(resultField, "Mã:") {
		if r := rawSecs(); r.hasResult && strings.Contains(r.result, "Mã:") {
			resultField = r.result
			problem("ket_qua_xu_ly held other text; recovered from raw_text")
		}
	}
	p.Results = dvcParseResults(resultField)
	return p
}

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

// ReadDVC streams the JSONL catalog; for each record it calls fn(name, sheet) where name is
// "<file>#<code>". A record that cannot be decoded or converted is counted in Failed and
// reported through onProblem (which may be nil), never fatal. An error from fn stops the read
// and is returned, as is a read error.
func ReadDVC(r io.Reader, file string, asOf string, fn func(name string, sheet []byte) error, onProblem func(name string, err error)) (DVCStats, error) {
	return ReadDVCWith(r, file, asOf, nil, fn, onProblem)
}

// ReadDVCWith is ReadDVC with a knowledge base: each sheet carries the everyday names of its
// procedure as aliases and its action, family, circumstances and applicants as metadata.
func ReadDVCWith(r io.Reader, file string, asOf string, base *kb.Base, fn func(name string, sheet []byte) error, onProblem func(name string, err error)) (DVCStats, error) {
	var st DVCStats
	if _, err := time.Parse("2006-01-02", asOf); err != nil {
		return st, fmt.Errorf("read catalog %s: as_of %q is not a YYYY-MM-DD date", file, asOf)
	}
	report := func(name string, err error) {
		st.Failed++
		if onProblem != nil {
			onProblem(name, err)
		}
	}
	seen := map[string]bool{}
	br := bufio.NewReaderSize(r, 1<<16)
	for lineNo := 1; ; lineNo++ {
		line, readErr := br.ReadBytes('\n')
		if readErr != nil && readErr != io.EOF {
			return st, fmt.Errorf("read catalog %s line %d: %w", file, lineNo, readErr)
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			st.Records++
			if err := dvcOne(line, file, lineNo, asOf, base, seen, &st, fn, report); err != nil {
				return st, err
			}
		}
		if readErr == io.EOF {
			return st, nil
		}
	}
}

// dvcOne converts one JSONL line; it returns only errors from fn.
func dvcOne(line []byte, file string, lineNo int, asOf string, base *kb.Base, seen map[string]bool, st *DVCStats,
	fn func(string, []byte) error, report func(string, error)) error {
	var rec DVCRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		report(fmt.Sprintf("%s:%d", file, lineNo), fmt.Errorf("decode catalog record: %w", err))
		return nil
	}
	code := impOneLine(rec.Code)
	name := file + "#" + code
	switch {
	case code == "":
		report(fmt.Sprintf("%s:%d", file, lineNo), errors.New("convert catalog record: no ma_thu_tuc"))
		return nil
	case impOneLine(rec.Title) == "":
		report(name, fmt.Errorf("convert catalog record %s: no ten_thu_tuc", code))
		return nil
	case !dvcIDRe.MatchString(code):
		report(name, fmt.Errorf("convert catalog record %s: the code cannot be a sheet id", code))
		return nil
	case !strings.HasPrefix(impOneLine(rec.URL), "https://") && !strings.HasPrefix(impOneLine(rec.URL), "http://"):
		report(name, fmt.Errorf("convert catalog record %s: detail_url %q is not an http(s) address", code, rec.URL))
		return nil
	case seen[code]:
		report(name, fmt.Errorf("convert catalog record %s: duplicate code", code))
		return nil
	}
	seen[code] = true
	p := ParseDVC(rec)
	p.Knowledge, _ = base.Entry(code)
	if len(p.Channels) > 0 {
		st.WithChannels++
	}
	fees, deadlines := false, false
	for _, ch := range p.Channels {
		fees = fees || ch.Fee.Kind == FeeAmount || ch.Fee.Kind == FeeFree
		deadlines = deadlines || ch.Time != nil
	}
	if fees {
		st.WithFees++
	}
	if deadlines {
		st.WithDeadlines++
	}
	if len(p.Documents) > 0 {
		st.WithDocuments++
	}
	if len(p.Legal) > 0 {
		st.WithLegal++
	}
	if err := fn(name, p.Markdown(asOf)); err != nil {
		return fmt.Errorf("store %s: %w", name, err)
	}
	return nil
}
