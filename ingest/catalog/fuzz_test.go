package catalog_test

import (
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/ingest/mdwrite"
	"golang.org/x/text/unicode/norm"
)

// Seeds are synthetic strings shaped like the catalog's flattened cells.
var (
	fuzzChannelSeeds = []string{
		"",
		"Không có thông tin",
		channelHeader + "Trực tiếp5 Ngày làm việc30,000 Việt Nam Đồng(phí)Nộp tại quầy.Trực tuyến3 NgàyMiễn phí",
		"Dịch vụ bưu chính12Miễn phí(không thu)Gửi qua bưu điện",
		"Trực tuyến350 VNĐ(50.000 đồng/bộ)Trực tiếp1200000000000000000000 VNĐ",
		"Trực tiếpKhông Không có thông tinTrực tuyếnKhông quy địnhMiễn phí",
		"Trực tiếpTrả lời ngay.Không có thông tinTại quầyTrực tuyến",
		"Trực tiếp0,5 Ngày1,2,3 USD((((Trực tuyến9.9.9 Giờ99999999999999999999 Đồng",
		"Trực tiếp1 Ngày20,000 Việt Nam Đồng(mức (a) và (b))Mô tả\n## tiêu đề",
		"Trực tuyếnTrực tiếpA00VNĐ", // found by fuzzing: a loose row head ran into the next row
	}
	fuzzDocSeeds = []string{
		"",
		"--",
		"--" + docHeader + "Đơn đề nghị (mẫu A1)1 bản chínhBản sao giấy phép0 bản chính,1 bản sao",
		"* Giấy tờ phải nộp:" + docHeader + "Tờ khai;Mẫu XY01.docx1 bản chính* Giấy tờ khác:" + docHeader + "Giấy tờ1 bản sao",
		docHeader + "Các bản khai.Mau A.docxMau B.docx1 bản chính01 bản chính1 bản chính",
		docHeader + ".docx1 bản chính" + docHeader + docHeader + "x.pdf",
		"Bước 1. Nộp hồ sơ.",
	}
	fuzzLegalSeeds = []string{
		"",
		legalHeader + "Luật Ví dụ12/2020/QH14Nghị định hướng dẫn34/2021/NĐ-CP",
		legalHeader + "Thông tư 80/2021/TT-BTC80/2021/TT-BTCLuật 49/2019/QH1449/2019/QH14",
		legalHeader + "năm 202068/2020/QH14Quyết định24/2021/QĐ-TTgGiấy1/2015/TTLT/BQP-BTC_X 3/2026/NĐ - CP",
		legalHeader + "66.7/2025/NQ-CP24/2024199/NĐ-CP",
		": không phải bảng",
		legalHeader + "00/Đa0", // found by fuzzing: a number without an issuer code
	}
)

var fuzzCountRe = regexp.MustCompile(`^(\d bản chính(, \d bản sao)?|\d bản sao)?$`)

func FuzzParseChannels(f *testing.F) {
	for _, s := range fuzzChannelSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		chs, err := catalog.ParseChannels(s)
		if err != nil && chs != nil {
			t.Fatalf("rows returned with an error: %v", err)
		}
		for _, c := range chs {
			if c.Name != "Trực tiếp" && c.Name != "Trực tuyến" && c.Name != "Dịch vụ bưu chính" {
				t.Errorf("channel name %q", c.Name)
			}
			if c.Time != nil && (c.Time.Value < 0 || math.IsNaN(c.Time.Value) || math.IsInf(c.Time.Value, 0)) {
				t.Errorf("time %v", c.Time.Value)
			}
			switch c.Fee.Kind {
			case catalog.FeeAmount:
				if len(c.Fee.Amounts) == 0 || (c.Fee.Currency != "VND" && c.Fee.Currency != "USD") {
					t.Errorf("amount fee without amounts or currency: %+v", c.Fee)
				}
			case catalog.FeeFree, catalog.FeeNone, catalog.FeeSeeNote:
				if len(c.Fee.Amounts) > 0 {
					t.Errorf("%s fee with amounts: %+v", c.Fee.Kind, c.Fee)
				}
			default:
				t.Errorf("fee kind %q", c.Fee.Kind)
			}
			for _, a := range c.Fee.Amounts {
				if a < 0 {
					t.Errorf("negative amount %d", a)
				}
			}
			for _, txt := range []string{c.Note, c.Fee.Detail, c.TimeText} {
				if strings.ContainsAny(txt, "\n\r\t") || strings.TrimSpace(txt) != txt {
					t.Errorf("text not cleaned: %q", txt)
				}
			}
		}
	})
}

func FuzzParseDocuments(f *testing.F) {
	for _, s := range fuzzDocSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		docs, err := catalog.ParseDocuments(s)
		if err != nil && docs != nil {
			t.Fatalf("rows returned with an error: %v", err)
		}
		for _, d := range docs {
			if d.Name == "" {
				t.Errorf("row without a name: %+v", d)
			}
			if !fuzzCountRe.MatchString(d.Count) {
				t.Errorf("count %q", d.Count)
			}
			for _, txt := range []string{d.Name, d.Group, d.Form} {
				if strings.ContainsAny(txt, "\n\r") || !utf8.ValidString(txt) {
					t.Errorf("text not cleaned: %q", txt)
				}
			}
		}
	})
}

func FuzzParseLegalBasis(f *testing.F) {
	for _, s := range fuzzLegalSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := catalog.ParseLegalBasis(s)
		if err != nil && refs != nil {
			t.Fatalf("rows returned with an error: %v", err)
		}
		seen := map[string]bool{}
		for _, r := range refs {
			if r.Number == "" && r.Title == "" {
				t.Errorf("empty row")
			}
			if r.Number != "" {
				if !strings.Contains(r.Number, "/") || strings.ContainsAny(r.Number, " \n") {
					t.Errorf("number %q", r.Number)
				}
				if seen[r.Number] {
					t.Errorf("number %q twice", r.Number)
				}
				seen[r.Number] = true
			}
		}
	})
}

// FuzzMarkdown checks that record text cannot change a sheet's structure: whatever the
// fields hold, the sheet has exactly catalog.SheetSections "## " lines and parses into the fixed
// sections.
func FuzzMarkdown(f *testing.F) {
	rec := syntheticRecord()
	f.Add(rec.Title, rec.Channels, rec.Documents, rec.LegalBasis, rec.Steps, rec.Conditions, rec.Result, rec.Applicants)
	f.Add("## Tiêu đề\n## Khác", "Trực tiếp1 Ngày1 VNĐ(\n## x)\n## y", "--"+docHeader+"\n## a\n1 bản chính",
		legalHeader+"\n## b1/2020/QH14", "## c\n---\n===", "> q\n| a | b |\n|---|---|", "Mã: KQ.G01.1\n## d", "<div>\n# e")
	f.Add("a\r## b", "\u2028## x", "\x00## y", "\xff## z", "[l]: http://x", "```\n## f\n```", "    ## g", "\u0085## h")
	f.Fuzz(func(t *testing.T, title, channels, docs, legal, steps, conds, result, applicants string) {
		rec := syntheticRecord()
		rec.Title, rec.Channels, rec.Documents, rec.LegalBasis = title, channels, docs, legal
		rec.Steps, rec.Conditions, rec.Result, rec.Applicants = steps, conds, result, applicants
		rec.Field, rec.Agency, rec.ReceivingAddress = title, steps, conds
		md := catalog.Parse(rec).Markdown("2025-07-01")
		if n := countSectionLines(string(md)); n != catalog.SheetSections {
			t.Fatalf("%d '## ' lines, want %d:\n%s", n, catalog.SheetSections, md)
		}
		if mdwrite.OneLine(title) == "" {
			return // catalog.Read refuses records without a title
		}
		sh, err := ingest.ParseSheet("fuzz.md", md)
		if err != nil {
			t.Fatalf("generated sheet does not parse: %v\n%s", err, md)
		}
		if got := canonicalSections(sh); !reflect.DeepEqual(got, wantSections) {
			t.Fatalf("sections %v\n%s", got, md)
		}
		// The front matter carries the text as given, folded to one line.
		if want := strings.TrimSpace(norm.NFC.String(mdwrite.OneLine(norm.NFC.String(title)))); sh.Meta.Title != want {
			t.Fatalf("title %q, want %q", sh.Meta.Title, want)
		}
	})
}
