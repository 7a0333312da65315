// Package catalog imports the national catalog of administrative procedures
// (dvc-procedures.jsonl): it reads the records, recovers their flattened tables and writes each
// as a procedure sheet.
//
// The catalog export flattened the portal's HTML tables: cells and rows were concatenated
// without separators ("Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(...)Trực tiếp..."). The
// parsers below recover the rows by anchoring on what a cell can start with (a channel name
// followed at once by a time cell and a fee cell; a copy count such as "1 bản chính" glued to
// the next row; a document number such as 49/2019/QH14 glued to the next title) rather than on
// separators. What cannot be recovered with confidence is kept as text and reported in
// Procedure.Problems, never guessed silently.
package catalog

import (
	"regexp"

	"github.com/thutuc/thutuc/kb"
)

// Record is one line of the national catalog export (fields per shared/data/README.md).
// All fields are text as crawled; "" and "Không có thông tin" both mean the portal gave nothing.
type Record struct {
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

// Result is one result of a procedure (what the applicant receives).
type Result struct {
	Name string
	Code string // e.g. KQ.G01.000020; "" if none
}

// Procedure is a catalog record with its tables recovered.
type Procedure struct {
	Record    Record
	Channels  []Channel
	Documents []DocItem
	Legal     []LegalRef
	Results   []Result
	Levels    []string
	Problems  []string // parse problems, not fatal
	// Knowledge is what the knowledge base says of the procedure (everyday names, action,
	// family…), nil when it does not know the code; the sheet then names the actions its
	// title gives.
	Knowledge *kb.Entry
}

// Table headers the export glued in front of the rows.
const (
	channelHeader = "Hình thức nộpThời gianPhí, lệ phíMô tả"
	docHeader     = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	legalHeader   = "Tên văn bản pháp lýMã văn bản"
	noInfo        = "Không có thông tin"
)

// channelNames are the channel names in the order the sheet lists them.
var channelNames = [...]string{"Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"}

// timeUnits are the time-cell units, longest first so "Ngày làm việc" wins over "Ngày".
var timeUnits = [...]string{"Ngày làm việc", "Giờ làm việc", "Ngày", "Giờ", "Tháng", "Tuần", "Năm", "Phút"}

// textTimes are time cells that hold text instead of a number.
var textTimes = [...]string{"Không quy định", "Không phải trả kết quả cho người nộp thuế", "Không"}

var (
	// numberRe finds numbers in free text (for cross-checking the fee cell with its note).
	numberRe = regexp.MustCompile(`\d[\d.,]*\d|\d`)
	// usdRe finds amounts in dollars in free text.
	usdRe = regexp.MustCompile(`(\d[\d.,]*)\s*USD`)
	// formExtRe matches a form file extension at the end of a document name.
	formExtRe    = regexp.MustCompile(`(?i)\.(docx|doc|pdf|xlsx|xls|rar|zip|odt)$`)
	formExtAnyRe = regexp.MustCompile(`(?i)\.(docx|doc|pdf|xlsx|xls|rar|zip|odt)`)
	// legalNumRe finds the start of a document number (the code after the year is read by hand).
	legalNumRe = regexp.MustCompile(`\d{1,5}(?:\.\d{1,3})?[a-z]?/(?:\d{4}/ ?[A-ZĐ]|\d{4}/?\s*$|[A-ZĐ])`)
	// legalNumStartRe matches a document number with an issuer code at the start of a text.
	legalNumStartRe = regexp.MustCompile(`^\d{1,5}(?:\.\d{1,3})?[a-z]?/(?:\d{4}/ ?)?[A-ZĐ]`)
	// idRe is what a sheet id may be (corpus/README.md); a catalog code becomes the id.
	idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{0,127}$`)
	// resultCodeRe finds result codes in ket_qua_xu_ly.
	resultCodeRe = regexp.MustCompile(`Mã:\s*(KQ[.-]?(?:[A-Z]{0,2}\d+\.?)*(?:-[A-Z]{0,3}-?\d+)*)`)
	// formCodeRe and friends pull a short form code out of a form file name.
	formNumRe    = regexp.MustCompile(`(?i)m(?:ẫ|a)u\s*(?:số|so)?\s*(\d{1,3}[a-z]?)\b`)
	formAnnexRe  = regexp.MustCompile(`(?i)(?:ph(?:ụ|u) ?l(?:ục|uc)|\bPL)\s*([IVX]+[a-z]?|\d{1,3}[a-z]?)\b`)
	formHyphenRe = regexp.MustCompile(`^(\d{1,3}[a-z]?-[A-ZĐ]{2,6})\b`)
)
