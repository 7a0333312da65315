package catalog_test

// The parsers of the flattened tables, row by row, on synthetic cells.

import (
	"reflect"
	"testing"

	"github.com/thutuc/thutuc/ingest/catalog"
)

func TestParseChannels(t *testing.T) {
	type row struct {
		name     string
		value    float64 // -1: no time
		unit     string
		timeText string
		feeKind  string
		amounts  []int64
		currency string
		detail   string
		note     string
	}
	tests := []struct {
		name    string
		in      string
		want    []row
		wantErr bool
	}{
		{"missing", "", nil, false},
		{"no information", "Không có thông tin", nil, false},
		{"header only", channelHeader, nil, false},
		{
			"two rows with amounts and notes",
			channelHeader + "Trực tiếp5 Ngày làm việc30,000 Việt Nam Đồng(phí cấp mới)Nộp tại bộ phận một cửa.Trực tuyến3 Ngày làm việcMiễn phí",
			[]row{
				{"Trực tiếp", 5, "ngày làm việc", "", catalog.FeeAmount, []int64{30000}, "VND", "phí cấp mới", "Nộp tại bộ phận một cửa."},
				{"Trực tuyến", 3, "ngày làm việc", "", catalog.FeeFree, nil, "", "", ""},
			},
			false,
		},
		{
			"bare number time, free, no header",
			"Dịch vụ bưu chính12Miễn phí(không thu)Gửi qua bưu điện",
			[]row{{"Dịch vụ bưu chính", 12, "", "", catalog.FeeFree, nil, "", "không thu", "Gửi qua bưu điện"}},
			false,
		},
		{
			"hours, VNĐ",
			"Trực tiếp4 Giờ900 VNĐ",
			[]row{{"Trực tiếp", 4, "giờ", "", catalog.FeeAmount, []int64{900}, "VND", "", ""}},
			false,
		},
		{
			"no time, no fee",
			"Trực tuyếnKhông có thông tinKhông có thông tinNộp trên cổng.",
			[]row{{"Trực tuyến", -1, "", "", catalog.FeeNone, nil, "", "", "Nộp trên cổng."}},
			false,
		},
		{
			"fee left blank but described",
			"Trực tiếp2 ThángKhông có thông tinMức phí, lệ phí do tỉnh quy định.",
			[]row{{"Trực tiếp", 2, "tháng", "", catalog.FeeSeeNote, nil, "", "", "Mức phí, lệ phí do tỉnh quy định."}},
			false,
		},
		{
			"channel name inside a description is not a row",
			"Trực tiếp7 NgàyMiễn phí- Trực tiếp: nộp tại trụ sở; - Trực tuyến: qua cổng.",
			[]row{{"Trực tiếp", 7, "ngày", "", catalog.FeeFree, nil, "", "", "- Trực tiếp: nộp tại trụ sở; - Trực tuyến: qua cổng."}},
			false,
		},
		{
			"decimal time",
			"Trực tiếp0,5 NgàyMiễn phí",
			[]row{{"Trực tiếp", 0.5, "ngày", "", catalog.FeeFree, nil, "", "", ""}},
			false,
		},
		{
			"text time cells",
			"Trực tuyếnKhông quy địnhMiễn phíTrực tiếpKhông Không có thông tin",
			[]row{
				{"Trực tuyến", -1, "", "Không quy định", catalog.FeeFree, nil, "", "", ""},
				{"Trực tiếp", -1, "", "Không", catalog.FeeNone, nil, "", "", ""},
			},
			false,
		},
		{
			"bare time and amount run together, confirmed by the note",
			"Trực tuyến350 VNĐ(50.000 đồng/bộ)",
			[]row{{"Trực tuyến", 3, "", "", catalog.FeeAmount, []int64{50000}, "VND", "50.000 đồng/bộ", ""}},
			false,
		},
		{
			"run together without a note: one-digit time",
			"Trực tiếp240 VNĐ",
			[]row{{"Trực tiếp", 2, "", "", catalog.FeeAmount, []int64{40}, "VND", "", ""}},
			false,
		},
		{
			"dollars, and a VNĐ cell corrected by its note",
			"Trực tiếp5 Ngày120 USD(120 USD/lần)Trực tuyến5 Ngày130 VNĐ(130 USD/lần)",
			[]row{
				{"Trực tiếp", 5, "ngày", "", catalog.FeeAmount, []int64{120}, "USD", "120 USD/lần", ""},
				{"Trực tuyến", 5, "ngày", "", catalog.FeeAmount, []int64{130}, "USD", "130 USD/lần", ""},
			},
			false,
		},
		{
			"several amounts glued in one cell",
			"Trực tiếp10 Ngày100,000 Việt Nam Đồng250,000 Việt Nam Đồng",
			[]row{{"Trực tiếp", 10, "ngày", "", catalog.FeeAmount, []int64{100000, 250000}, "VND", "", ""}},
			false,
		},
		{
			"nested parentheses in the fee explanation",
			"Trực tiếp1 Ngày20,000 Việt Nam Đồng(mức (a) và (b))Mô tả",
			[]row{{"Trực tiếp", 1, "ngày", "", catalog.FeeAmount, []int64{20000}, "VND", "mức (a) và (b)", "Mô tả"}},
			false,
		},
		{
			"free-text time cells: rows split at glued channel names",
			"Trực tiếpTrả lời ngay.Không có thông tinTại quầyTrực tuyếnTrả lời ngay.Miễn phíQua cổng",
			[]row{
				{"Trực tiếp", -1, "", "Trả lời ngay.", catalog.FeeNone, nil, "", "", "Tại quầy"},
				{"Trực tuyến", -1, "", "Trả lời ngay.", catalog.FeeFree, nil, "", "", "Qua cổng"},
			},
			false,
		},
		{"text without rows", "Nộp hồ sơ tại cơ quan có thẩm quyền.", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalog.ParseChannels(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseChannels() error = %v, wantErr %v", err, tt.wantErr)
			}
			var rows []row
			for _, c := range got {
				r := row{c.Name, -1, "", c.TimeText, c.Fee.Kind, c.Fee.Amounts, c.Fee.Currency, c.Fee.Detail, c.Note}
				if c.Time != nil {
					r.value, r.unit = c.Time.Value, c.Time.Unit
				}
				rows = append(rows, r)
			}
			if !reflect.DeepEqual(rows, tt.want) {
				t.Errorf("ParseChannels() =\n%+v\nwant\n%+v", rows, tt.want)
			}
		})
	}
}

func TestParseDocuments(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []catalog.DocItem
		wantErr bool
	}{
		{"missing", "", nil, false},
		{"dashes only", "--", nil, false},
		{
			"one table",
			"--" + docHeader + "Đơn đề nghị (mẫu A1)1 bản chínhBản sao giấy phép0 bản chính,1 bản sao",
			[]catalog.DocItem{
				{Name: "Đơn đề nghị (mẫu A1)", Count: "1 bản chính"},
				{Name: "Bản sao giấy phép", Count: "0 bản chính, 1 bản sao"},
			},
			false,
		},
		{
			"groups under case headings",
			"* Giấy tờ phải nộp:" + docHeader + "Tờ khai1 bản chính* Giấy tờ phải xuất trình:" + docHeader + "Giấy tờ tùy thân1 bản chính",
			[]catalog.DocItem{
				{Group: "Giấy tờ phải nộp", Name: "Tờ khai", Count: "1 bản chính"},
				{Group: "Giấy tờ phải xuất trình", Name: "Giấy tờ tùy thân", Count: "1 bản chính"},
			},
			false,
		},
		{
			"form files glued to names",
			docHeader + "Tờ khai theo mẫu XY01;Mẫu XY01.docx1 bản chính" +
				"Đơn xin cấp lại (mẫu số 3).Don cap lai.doc1 bản chính,1 bản sao" +
				"Bản khai của Bộ Công anMẫu-ZZ9.pdf2 bản chính",
			[]catalog.DocItem{
				{Name: "Tờ khai theo mẫu XY01", Form: "Mẫu XY01.docx", Count: "1 bản chính"},
				{Name: "Đơn xin cấp lại (mẫu số 3)", Form: "Don cap lai.doc", Count: "1 bản chính, 1 bản sao"},
				{Name: "Bản khai của Bộ Công an", Form: "Mẫu-ZZ9.pdf", Count: "2 bản chính"},
			},
			false,
		},
		{
			"a year glued to the count",
			docHeader + "Văn bản theo Nghị định ngày 01/02/20241 bản chính",
			[]catalog.DocItem{{Name: "Văn bản theo Nghị định ngày 01/02/2024", Count: "1 bản chính"}},
			false,
		},
		{
			"counts inside the name are prose",
			docHeader + "Giấy chứng nhận (01 bản chính hoặc 01 bản sao có chứng thực)1 bản chínhHợp đồng: 01 bản chính;0 bản chính,1 bản sao",
			[]catalog.DocItem{
				{Name: "Giấy chứng nhận (01 bản chính hoặc 01 bản sao có chứng thực)", Count: "1 bản chính"},
				{Name: "Hợp đồng: 01 bản chính", Count: "0 bản chính, 1 bản sao"},
			},
			false,
		},
		{
			"two files in one row",
			docHeader + "Các bản khai.Mau A.docxMau B.docx1 bản chính",
			[]catalog.DocItem{{Name: "Các bản khai", Form: "Mau A.docx; Mau B.docx", Count: "1 bản chính"}},
			false,
		},
		{
			"last row without a count",
			docHeader + "Tờ khai1 bản chínhTài liệu khác nếu có",
			[]catalog.DocItem{{Name: "Tờ khai", Count: "1 bản chính"}, {Name: "Tài liệu khác nếu có"}},
			false,
		},
		{"not a table", "Bước 1. Nộp hồ sơ tại mục Thành phần hồ sơ.", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalog.ParseDocuments(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDocuments() error = %v, wantErr %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseDocuments() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseLegalBasis(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []catalog.LegalRef
		wantErr bool
	}{
		{"missing", "Không có thông tin", nil, false},
		{
			"titles and numbers glued",
			legalHeader + "Luật Ví dụ12/2020/QH14Nghị định hướng dẫn34/2021/NĐ-CPThông tư về mẫu5/2022/TT-BCA",
			[]catalog.LegalRef{
				{"12/2020/QH14", "Luật Ví dụ"},
				{"34/2021/NĐ-CP", "Nghị định hướng dẫn"},
				{"5/2022/TT-BCA", "Thông tư về mẫu"},
			},
			false,
		},
		{
			"number cell repeats the title",
			legalHeader + "Thông tư 80/2021/TT-BTC80/2021/TT-BTCLuật Quản lý thuế38/2019/QH14",
			[]catalog.LegalRef{{"80/2021/TT-BTC", "Thông tư 80/2021/TT-BTC"}, {"38/2019/QH14", "Luật Quản lý thuế"}},
			false,
		},
		{
			"references inside a title are not rows",
			legalHeader + "Thông tư sửa đổi Thông tư 19/2021/TT-BTC ngày 18/3/202146/2024/TT-BTC",
			[]catalog.LegalRef{{"46/2024/TT-BTC", "Thông tư sửa đổi Thông tư 19/2021/TT-BTC ngày 18/3/2021"}},
			false,
		},
		{
			"a glued document-type word belongs to the number cell",
			legalHeader + "Luật Các tổ chức tín dụngLuật số 32/2024/QH15Quyết định về mẫu24/2021/QĐ-TTgGiấy tờ khác",
			[]catalog.LegalRef{{"32/2024/QH15", "Luật Các tổ chức tín dụng"}, {"24/2021/QĐ-TTg", "Quyết định về mẫu"}, {"", "Giấy tờ khác"}},
			false,
		},
		{
			"code glued to the next title",
			legalHeader + "Thông tư một01/2025/TT-BTCThông tư hai02/2025/TT-BCAngày 1/7",
			[]catalog.LegalRef{{"01/2025/TT-BTC", "Thông tư một"}, {"02/2025/TT-BCA", "Thông tư hai"}, {"", "ngày 1/7"}},
			false,
		},
		{
			"legislature number glued to the number cell",
			legalHeader + "Luật 49/2019/QH1449/2019/QH14",
			[]catalog.LegalRef{{"49/2019/QH14", "Luật 49/2019/QH14"}},
			false,
		},
		{
			"compound codes, spaces and dotted numbers",
			legalHeader + "Thông tư liên tịch1/2015/TTLT-BCA-BYTNghị quyết66.7/2025/NQ-CPNghị định sửa đổi3/2026/NĐ -CP",
			[]catalog.LegalRef{{"1/2015/TTLT-BCA-BYT", "Thông tư liên tịch"}, {"66.7/2025/NQ-CP", "Nghị quyết"}, {"3/2026/NĐ-CP", "Nghị định sửa đổi"}},
			false,
		},
		{
			"duplicates dropped",
			legalHeader + "Nghị định1/2020/NĐ-CPNghị định 1/2020/NĐ-CP1/2020/NĐ-CP",
			[]catalog.LegalRef{{"1/2020/NĐ-CP", "Nghị định 1/2020/NĐ-CP"}},
			false,
		},
		{"broken field", ": Thông tư 1/2020/TT-BTC ngày 1/1/2020)Trực tiếp", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalog.ParseLegalBasis(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseLegalBasis() error = %v, wantErr %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseLegalBasis() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestFormCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mẫu TK01 tờ khai.docx", "TK01"},
		{"Mau NA20-BCA.docx", "NA20"},
		{"1.MuCT01banhnhkm.doc", "CT01"},
		{"M03b.pdf", "M03b"},
		{"Mẫu số 04.docx", "số 04"},
		{"mau so 12 (1).doc", "số 12"},
		{"Mẫu số 13-HSB.doc", "số 13-HSB"},
		{"14-HSB.docx", "số 14-HSB"},
		{"Phụ lục II.docx", "phụ lục II"},
		{"PL 01 TT34.docx", "phụ lục 01"},
		{"Giấy đề nghị.pdf", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := catalog.FormCode(tt.in); got != tt.want {
			t.Errorf("FormCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {8, "8"}, {999, "999"}, {1000, "1.000"}, {200000, "200.000"}, {1234567, "1.234.567"}, {0.5, "0,5"}, {1.5, "1,5"},
	}
	for _, tt := range tests {
		if got := catalog.FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := catalog.FormatMoney(200000, "VND"); got != "200.000 đồng" {
		t.Errorf("FormatMoney VND = %q", got)
	}
	if got := catalog.FormatMoney(145, "USD"); got != "145 USD" {
		t.Errorf("FormatMoney USD = %q", got)
	}
}
