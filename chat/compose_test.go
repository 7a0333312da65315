package chat

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/plain"
)

// A made-up record in our own words: many documents in two cases, fees with a reduced rate
// that ends on a date, a paper abolished since, and a remark for officers.
var composeDoc = docInfo{id: "vi-du", code: "9.999999", title: "Thủ tục ví dụ", kind: thutuc.KindProcedure,
	sourceURL: "https://dichvucong.gov.vn/vi-du", asOf: "2025-07-01"}

var composePassages = []passage{
	{chunkID: 1, docID: "vi-du", section: thutuc.SectionDocuments, text: "### Trường hợp làm lần đầu\n\n" +
		"- Tờ khai theo mẫu TK01: 1 bản chính.\n- Giấy khai sinh: 1 bản sao.\n- Sổ hộ khẩu: 1 bản chính.\n" +
		"- Ảnh 4x6: 2 ảnh.\n- Giấy xác nhận nơi ở: 1 bản chính.\n\n### Trường hợp làm lại vì bị mất\n\n" +
		"- Tờ khai theo mẫu TK01: 1 bản chính.\n- Đơn trình báo mất: 1 bản chính.\n" +
		"- Ghi chú nguồn: bảng thành phần hồ sơ bị gộp, số thứ tự lấy theo trang chính thức.\n"},
	{chunkID: 2, docID: "vi-du", section: thutuc.SectionFees, text: "- **Trực tiếp**: 200.000 đồng.\n" +
		"- **Trực tuyến**: 100.000 đồng, áp dụng đến hết 31/12/2025.\n" +
		"- **Dịch vụ bưu chính**: 100.000 đồng đến hết 31/12/2025; từ 01/01/2026 đến hết 31/12/2026 thu 150.000 đồng.\n"},
	{chunkID: 3, docID: "vi-du", section: thutuc.SectionDeadline, text: "- **Trực tiếp**: 8 ngày làm việc.\n"},
}

func TestComposeCitizenAnswer(t *testing.T) {
	for _, tc := range []struct {
		name     string
		audience string
		today    time.Time
		intents  []string
	}{
		{"citizen-2026", AudienceCitizen, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), []string{IntentDocuments, IntentFees}},
		{"citizen-2025", AudienceCitizen, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), []string{IntentDocuments, IntentFees}},
		{"officer-2026", AudienceOfficer, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), []string{IntentDocuments, IntentFees}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := composeProcedure(composeDoc, composePassages, nil, tc.intents, tc.audience, nil, "", tc.today)
			got := c.markdown + "\n\n--- detail (" + c.detailLabel + ") ---\n\n" + c.detail + "\n"
			for _, cs := range c.cases {
				got += "\n--- case " + cs.Label + " ---\n\n" + cs.Detail + "\n"
			}
			for _, cit := range c.citations {
				got += "\n[" + strconv.Itoa(cit.N) + "] " + cit.Section + ": " + oneLine(cit.Quote)
			}
			golden(t, filepath.Join("testdata", "compose-"+tc.name+".golden"), got+"\n")

			// One citation per passage, each quoting its passage exactly.
			if len(c.citations) > len(composePassages) {
				t.Errorf("%d citations for %d passages", len(c.citations), len(composePassages))
			}
			for _, cit := range c.citations {
				if !strings.Contains(composePassages[cit.N-1].text, cit.Quote) && !inAny(cit.Quote) {
					t.Errorf("citation %d quotes %q, not in a passage", cit.N, cit.Quote)
				}
			}
			if tc.audience != AudienceCitizen {
				if c.detail != "" || !strings.Contains(c.markdown, "Ghi chú nguồn") {
					t.Errorf("an officer's answer is folded or hides the source's remark")
				}
				return
			}
			if c.detail == "" || !strings.Contains(c.detailLabel, "7 giấy tờ") || strings.Contains(c.markdown, "Đơn trình báo mất") {
				t.Errorf("not folded at the second case (label %q)", c.detailLabel)
			}
			if len(c.cases) != 2 || c.cases[1].Label != "Trường hợp làm lại vì bị mất" ||
				!strings.Contains(c.cases[1].Detail, "Đơn trình báo mất") || strings.Contains(c.cases[1].Detail, "Giấy khai sinh") {
				t.Errorf("cases %+v, want the two, each with its own documents", c.cases)
			}
			if m := plain.Mechanics(c.markdown + c.detail); len(m) > 0 {
				t.Errorf("source mechanics reach a citizen: %q", m)
			}
			ended := strings.Contains(c.markdown, "đã hết hạn áp dụng")
			if tc.today.Year() == 2026 != ended {
				t.Errorf("today %s: rule ended shown %v", tc.today.Format("2006-01-02"), ended)
			}
		})
	}
}

func inAny(quote string) bool {
	for _, p := range composePassages {
		if strings.Contains(p.text, quote) {
			return true
		}
	}
	return false
}

// golden compares got with a golden file, rewriting it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, got)
	}
}

// A follow-up about a case whose words only a source note holds (hidden from citizens) is not
// answered with an empty list of "the facts about your case": the whole answer is shown, with
// the line that the source says nothing particular.
func TestComposeFocusOnHiddenFactOnly(t *testing.T) {
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	c := composeProcedure(composeDoc, composePassages, nil, []string{IntentDocuments}, AudienceCitizen, []string{"thứ"}, "", today)
	if strings.Contains(c.markdown, "Những mục trong nguồn liên quan đến trường hợp bạn hỏi") {
		t.Errorf("announces facts about the case and shows none:\n%s", c.markdown)
	}
	if !strings.Contains(c.markdown, "Tờ khai theo mẫu TK01") || !strings.Contains(c.markdown, "áp dụng chung") {
		t.Errorf("want the documents and the general-case line:\n%s", c.markdown)
	}
	// An officer is shown source notes: for an officer the note is the fact about the case.
	c = composeProcedure(composeDoc, composePassages, nil, []string{IntentDocuments}, AudienceOfficer, []string{"thứ"}, "", today)
	if !strings.Contains(c.markdown, "Ghi chú nguồn") {
		t.Errorf("officer: want the source note about the case:\n%s", c.markdown)
	}
}
