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
	"regexp"
	"strings"
	"time"

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
