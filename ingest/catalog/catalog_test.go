package catalog_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/kb"
)

// The table headers the export glued in front of the rows.
const (
	channelHeader = "Hình thức nộpThời gianPhí, lệ phíMô tả"
	docHeader     = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	legalHeader   = "Tên văn bản pháp lýMã văn bản"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// sharedData returns the path of a file in ../shared/data (next to the project), skipping the
// test when it is absent.
func sharedData(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available: %v", err)
	}
	return p
}

// readCatalog returns the records of the real catalog with the given codes (all when codes is
// empty).
func readCatalog(t testing.TB, codes ...string) map[string]catalog.Record {
	t.Helper()
	f, err := os.Open(sharedData(t, "dvc-procedures.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	recs := map[string]catalog.Record{}
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec catalog.Record
			if jerr := json.Unmarshal(line, &rec); jerr != nil {
				t.Fatal(jerr)
			}
			if len(want) == 0 || want[rec.Code] {
				recs[rec.Code] = rec
			}
		}
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	return recs
}

// syntheticRecord is a small record written for tests (not from the catalog).
func syntheticRecord() catalog.Record {
	return catalog.Record{
		Code:            "9.000001",
		Title:           "Cấp giấy phép thử nghiệm",
		URL:             "https://example.gov.vn/thu-tuc/9.000001",
		Decision:        "1/QĐ-TEST",
		Level:           "Cấp tỉnh, Cấp xã",
		Field:           "Thử nghiệm",
		Applicants:      "Công dân Việt Nam",
		Agency:          "Không có thông tin",
		CompetentAgency: "Sở Thử nghiệm",
		Steps:           "Bước 1: Nộp hồ sơ.\n## Không phải tiêu đề\n- Bước 2: Nhận kết quả.",
		Channels: channelHeader + "Trực tiếp8 Ngày làm việc200,000 Việt Nam Đồng(theo biểu phí)Nộp tại quầy." +
			"Trực tuyến8 Ngày làm việcMiễn phíDịch vụ bưu chínhKhông có thông tinKhông có thông tin",
		Documents:  "--" + docHeader + "Tờ khai;Mẫu TK09.docx1 bản chính* Trường hợp ủy quyền:" + docHeader + "# Giấy ủy quyền0 bản chính,1 bản sao",
		LegalBasis: legalHeader + "Luật Thử nghiệm1/2020/QH14",
		Conditions: "Không có thông tin",
		Result:     "Giấy phépMã: KQ.G99.000001Từ khóaKhông có thông tin",
		Ministry:   "bo-thu-nghiem",
	}
}

func TestMarkdown(t *testing.T) {
	p := catalog.Parse(syntheticRecord())
	md := string(p.Markdown("2025-07-01"))
	for _, want := range []string{
		"id: \"9.000001\"\n",
		"code: \"9.000001\"\n",
		"kind: \"procedure\"\n",
		"agency: \"Sở Thử nghiệm\"\n",
		"as_of: \"2025-07-01\"\n",
		"  ministry: \"bo-thu-nghiem\"\n",
		"    - channel: \"Trực tiếp\"\n      time_value: 8\n      time_unit: \"ngày làm việc\"\n      fee_kind: \"amount\"\n      fee_amounts: [200000]\n",
		"# Cấp giấy phép thử nghiệm\n",
		"- **Trực tiếp**: 200.000 đồng (theo biểu phí).\n",
		"- **Trực tuyến**: Miễn phí.\n",
		"- **Dịch vụ bưu chính**: Chưa có thông tin về phí, lệ phí cho cách nộp này; hãy hỏi bộ phận một cửa.\n",
		"- **Trực tiếp**: 8 ngày làm việc.\n",
		"- **Dịch vụ bưu chính**: Chưa có thông tin về thời hạn cho cách nộp này; hãy hỏi bộ phận một cửa.\n",
		"- **Trực tiếp**: Nộp tại quầy.\n",
		"- Tờ khai (mẫu TK09): 1 bản chính.\n",
		"### Trường hợp ủy quyền\n",
		"- \\# Giấy ủy quyền: 1 bản sao; không cần nộp bản chính.\n",
		"- \\## Không phải tiêu đề.\n",
		"- Bước 2: Nhận kết quả.\n",
		"- Luật Thử nghiệm, số 1/2020/QH14.\n",
		"- Giấy phép (mã kết quả KQ.G99.000001).\n",
		"## Yêu cầu, điều kiện\n\n- Chưa có nội dung cho mục này trên trang chính thức.\n",
		"- Mẫu TK09 (tệp Mẫu TK09.docx), kèm theo giấy tờ: Tờ khai.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q\n%s", want, md)
		}
	}
	if n := countSectionLines(md); n != catalog.SheetSections {
		t.Errorf("%d '## ' lines, want %d", n, catalog.SheetSections)
	}
	sh, err := ingest.ParseSheet("test.md", []byte(md))
	if err != nil {
		t.Fatalf("ParseSheet: %v", err)
	}
	if got := canonicalSections(sh); !reflect.DeepEqual(got, wantSections) {
		t.Errorf("sections = %v, want %v", got, wantSections)
	}
}

// wantSections are the canonical sections of a catalog sheet, in order.
var wantSections = []string{
	thutuc.SectionOverview, thutuc.SectionDocuments, thutuc.SectionFees, thutuc.SectionDeadline, thutuc.SectionSteps,
	thutuc.SectionChannels, thutuc.SectionAgency, thutuc.SectionApplicants, thutuc.SectionConditions,
	thutuc.SectionResult, thutuc.SectionLegalBasis, thutuc.SectionForms,
}

func canonicalSections(sh *ingest.Sheet) []string {
	var out []string
	for _, s := range sh.Sections {
		out = append(out, s.Canonical)
	}
	return out
}

// countSectionLines counts the lines that start a "## " section.
func countSectionLines(md string) int {
	n := 0
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "## ") {
			n++
		}
	}
	return n
}

func TestRead(t *testing.T) {
	good, _ := json.Marshal(syntheticRecord())
	noCode := syntheticRecord()
	noCode.Code = ""
	bad, _ := json.Marshal(noCode)
	in := strings.Join([]string{string(good), "{not json", "", string(bad), string(good)}, "\n")
	var names []string
	var problems []string
	st, err := catalog.Read(strings.NewReader(in), "cat.jsonl", "2025-07-01",
		func(name string, sheet []byte) error { names = append(names, name); return nil },
		func(name string, err error) { problems = append(problems, name) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"cat.jsonl#9.000001"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v, want %v", names, want)
	}
	if want := []string{"cat.jsonl:2", "cat.jsonl:4", "cat.jsonl#9.000001"}; !reflect.DeepEqual(problems, want) {
		t.Errorf("problems = %v, want %v", problems, want)
	}
	if st.Records != 4 || st.Failed != 3 || st.WithChannels != 1 || st.WithFees != 1 || st.WithDeadlines != 1 ||
		st.WithDocuments != 1 || st.WithLegal != 1 {
		t.Errorf("stats = %+v", st)
	}

	stop := errors.New("disk full")
	if _, err := catalog.Read(strings.NewReader(string(good)), "cat.jsonl", "2025-07-01",
		func(string, []byte) error { return stop }, nil); !errors.Is(err, stop) {
		t.Errorf("error from fn: got %v, want %v", err, stop)
	}
	if _, err := catalog.Read(strings.NewReader(""), "cat.jsonl", "1/7/2025", nil, nil); err == nil {
		t.Error("bad as_of accepted")
	}
}

// goldenCodes are hard records of the real catalog: bare-number times, a time and a fee run
// together, fees in thousands or dollars, "Phí :" notes, text time cells, missing times and
// fees, grouped documents, glued form files, broken fields recovered from raw_text, no legal
// basis, decomposed Unicode, and the longest record.
var goldenCodes = []string{
	"1.010026", // bare "1" times, fee note with amounts
	"3.000027", // bare "0" times, several rows per channel
	"1.000014", // "120 VNĐ(20.000 vnđ /tờ khai)": time 1 + fee 20 thousand
	"2.002032", // run-together time and fee, different per channel
	"1.007857", // "220 VNĐ": time 2
	"1.003358", // nine rows, USD, VNĐ cells that are dollars
	"1.014900", // "Phí : 50.000 Đồng" explanation, channel names inside the description
	"2.001263", // no time, "Lệ phí : 400.000 Đồng"
	"1.002338", // missing times, free; documents recovered from raw_text
	"1.007689", // time cell "Không phải trả kết quả cho người nộp thuế"
	"1.008312", // time cell "Không quy định"
	"1.009825", // time cell "Không"
	"1.009824", // free-text time cells
	"1.013097", // 1.5 days
	"5.003732", // nothing known about time or fee
	"1.007664", // three document groups
	"1.004222", // grouped documents with case headings
	"1.000080", // "* Giấy tờ phải nộp:" headings
	"3.000337", // legal basis and channels broken by the crawler, recovered
	"1.001656", // documents recovered from raw_text
	"1.001456", // form TK01a, several legal numbers glued
	"1.002755", // form CT01 in a stripped file name
	"1.004004", // several forms in one row
	"2.001429", // months
	"3.000373", // hours
	"1.007908", // QH11 glued to the number cell
	"1.008538", // "TT43/2023/TT-BTC" number cell
	"1.000807", // USD
	"1.003799", // decomposed (NFD) text
	"6.003500", // no document table at all
	"1.004936", // free, with a fee in dollars in its note
	"1.004045", // no legal basis
	"2.001538", // the longest record
}

// summary is the structural summary kept in golden files: no text of the catalog, only
// codes, numbers, kinds and lengths.
type summary struct {
	Code      string           `json:"code"`
	Levels    int              `json:"levels"`
	Channels  []summaryChannel `json:"channels"`
	Documents []summaryGroup   `json:"documents"`
	Legal     []string         `json:"legal_numbers"`
	Results   []string         `json:"result_codes"`
	Problems  int              `json:"problems"`
}

type summaryChannel struct {
	Name        string   `json:"name"`
	TimeValue   *float64 `json:"time_value,omitempty"`
	TimeUnit    string   `json:"time_unit,omitempty"`
	TimeTextLen int      `json:"time_text_len,omitempty"`
	FeeKind     string   `json:"fee_kind"`
	FeeAmounts  []int64  `json:"fee_amounts,omitempty"`
	Currency    string   `json:"fee_currency,omitempty"`
	DetailLen   int      `json:"fee_detail_len"`
	NoteLen     int      `json:"note_len"`
}

type summaryGroup struct {
	HeadingLen int      `json:"heading_len"`
	Items      int      `json:"items"`
	Counts     []string `json:"counts"`
	FormCodes  []string `json:"form_codes,omitempty"`
	FormFiles  int      `json:"form_files"`
}

func summarize(p catalog.Procedure) summary {
	s := summary{Code: p.Record.Code, Levels: len(p.Levels), Problems: len(p.Problems)}
	for _, c := range p.Channels {
		sc := summaryChannel{Name: c.Name, TimeTextLen: len([]rune(c.TimeText)), FeeKind: c.Fee.Kind,
			FeeAmounts: c.Fee.Amounts, Currency: c.Fee.Currency, DetailLen: len([]rune(c.Fee.Detail)), NoteLen: len([]rune(c.Note))}
		if c.Time != nil {
			v := c.Time.Value
			sc.TimeValue, sc.TimeUnit = &v, c.Time.Unit
		}
		s.Channels = append(s.Channels, sc)
	}
	for i, d := range p.Documents {
		if i == 0 || d.Group != p.Documents[i-1].Group {
			s.Documents = append(s.Documents, summaryGroup{HeadingLen: len([]rune(d.Group))})
		}
		g := &s.Documents[len(s.Documents)-1]
		g.Items++
		g.Counts = append(g.Counts, d.Count)
		for _, f := range strings.Split(d.Form, "; ") {
			if f == "" {
				continue
			}
			g.FormFiles++
			if c := catalog.FormCode(f); c != "" {
				g.FormCodes = append(g.FormCodes, c)
			}
		}
	}
	for _, l := range p.Legal {
		s.Legal = append(s.Legal, l.Number)
	}
	for _, r := range p.Results {
		s.Results = append(s.Results, r.Code)
	}
	return s
}

func TestGolden(t *testing.T) {
	recs := readCatalog(t, goldenCodes...)
	for _, code := range goldenCodes {
		t.Run(code, func(t *testing.T) {
			rec, ok := recs[code]
			if !ok {
				t.Fatalf("record %s not in the catalog", code)
			}
			got, err := json.MarshalIndent(summarize(catalog.Parse(rec)), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden(t, filepath.Join("testdata", "summary", code+".golden.json"), got)
		})
	}
}

// TestCoverage measures how much structure is recovered from the whole catalog and checks
// every generated sheet: it parses, has the fixed sections, and its per-channel items carry the
// record's deadline and fee.
func TestCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("whole catalog")
	}
	f, err := os.Open(sharedData(t, "dvc-procedures.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs := readCatalog(t)
	var problems []string
	st, err := catalog.Read(f, "dvc-procedures.jsonl", "2025-07-01", func(name string, sheet []byte) error {
		checkCatalogSheet(t, name, sheet, recs[strings.TrimPrefix(name, "dvc-procedures.jsonl#")])
		return nil
	}, func(name string, err error) { problems = append(problems, fmt.Sprintf("%s: %v", name, err)) })
	if err != nil {
		t.Fatal(err)
	}
	if st.Failed > 0 {
		t.Errorf("%d records failed: %v", st.Failed, problems)
	}
	share := func(n int) float64 { return float64(n) / float64(st.Records) }
	t.Logf("%d records: channels %.1f%%, fees %.1f%%, deadlines %.1f%%, documents %.1f%%, legal basis %.1f%%",
		st.Records, 100*share(st.WithChannels), 100*share(st.WithFees), 100*share(st.WithDeadlines),
		100*share(st.WithDocuments), 100*share(st.WithLegal))
	// Floors just under what is measured; the rest are records that state no fee, no time,
	// no document table or no legal basis.
	for _, c := range []struct {
		what  string
		n     int
		floor float64
	}{
		{"channels", st.WithChannels, 0.995},
		{"fees", st.WithFees, 0.86},
		{"deadlines", st.WithDeadlines, 0.94},
		{"documents", st.WithDocuments, 0.985},
		{"legal basis", st.WithLegal, 0.965},
	} {
		if share(c.n) < c.floor {
			t.Errorf("%s recovered for %.3f of records, below the floor %.3f", c.what, share(c.n), c.floor)
		}
	}
}

// checkCatalogSheet checks one generated sheet against its record.
func checkCatalogSheet(t *testing.T, name string, sheet []byte, rec catalog.Record) {
	t.Helper()
	sh, err := ingest.ParseSheet(name, sheet)
	if err != nil {
		t.Errorf("%s: generated sheet does not parse: %v", name, err)
		return
	}
	if got := canonicalSections(sh); !reflect.DeepEqual(got, wantSections) {
		t.Errorf("%s: sections %v", name, got)
	}
	if n := countSectionLines(string(sheet)); n != catalog.SheetSections {
		t.Errorf("%s: %d '## ' lines", name, n)
	}
	items := map[string][]string{}
	for _, s := range sh.Sections {
		for _, b := range s.Blocks {
			items[s.Canonical] = append(items[s.Canonical], b.Items...)
		}
	}
	p := catalog.Parse(rec)
	for i, ch := range p.Channels {
		prefix := "**" + ch.Name + "**:"
		deadline, fee := items[thutuc.SectionDeadline], items[thutuc.SectionFees]
		if len(deadline) != len(p.Channels) || len(fee) != len(p.Channels) ||
			!strings.HasPrefix(deadline[i], prefix) || !strings.HasPrefix(fee[i], prefix) {
			t.Errorf("%s: channel %d (%s) has no deadline or fee item", name, i, ch.Name)
			continue
		}
		if ch.Time != nil && ch.Time.Unit != "" && !strings.Contains(deadline[i], catalog.FormatNumber(ch.Time.Value)+" "+ch.Time.Unit) {
			t.Errorf("%s: deadline item %q lacks %v %s", name, deadline[i], ch.Time.Value, ch.Time.Unit)
		}
		switch ch.Fee.Kind {
		case catalog.FeeAmount:
			for _, a := range ch.Fee.Amounts {
				if !strings.Contains(fee[i], catalog.FormatMoney(a, ch.Fee.Currency)) {
					t.Errorf("%s: fee item %q lacks %s", name, fee[i], catalog.FormatMoney(a, ch.Fee.Currency))
				}
			}
		case catalog.FeeFree:
			if !strings.Contains(fee[i], "Miễn phí") {
				t.Errorf("%s: fee item %q lacks Miễn phí", name, fee[i])
			}
		}
	}
}

func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(sharedData(b, "dvc-procedures.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		st, err := catalog.Read(bytes.NewReader(data), "dvc-procedures.jsonl", "2025-07-01",
			func(string, []byte) error { return nil }, nil)
		if err != nil || st.Failed > 0 {
			b.Fatalf("Read: %+v, %v", st, err)
		}
	}
}

// The knowledge base's everyday names become the sheet's aliases and its action, family,
// circumstances and applicants its metadata; a record the base does not know gets the actions
// its title names.
func TestMarkdownKnowledge(t *testing.T) {
	p := catalog.Parse(syntheticRecord())
	p.Knowledge = &kb.Entry{Code: "9.000001", Actions: []string{"cấp mới"}, Family: "giấy phép thử nghiệm",
		Names: []string{"xin giấy phép thử", `tên có "ngoặc kép"`}, Circumstances: []string{"lần đầu"}, Applicants: []string{"doanh nghiệp"}, Common: true}
	sh, err := ingest.ParseSheet("test.md", p.Markdown("2025-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"xin giấy phép thử", `tên có "ngoặc kép"`}; !reflect.DeepEqual(sh.Meta.Aliases, want) {
		t.Errorf("aliases = %q, want %q", sh.Meta.Aliases, want)
	}
	m := sh.Meta.Metadata
	if m["family"] != "giấy phép thử nghiệm" || m["common"] != true || !reflect.DeepEqual(m["action"], []any{"cấp mới"}) ||
		!reflect.DeepEqual(m["circumstances"], []any{"lần đầu"}) || !reflect.DeepEqual(m["applicants"], []any{"doanh nghiệp"}) {
		t.Errorf("metadata = %v", m)
	}
	p.Knowledge = nil
	sh, err = ingest.ParseSheet("test.md", p.Markdown("2025-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Meta.Aliases) != 0 || !reflect.DeepEqual(sh.Meta.Metadata["action"], []any{"cấp mới"}) {
		t.Errorf("without the knowledge base: aliases %q, action %v; want none and the title's", sh.Meta.Aliases, sh.Meta.Metadata["action"])
	}
}
