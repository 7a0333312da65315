package chat

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/resolve"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestClarifyGolden renders the clarification questions for sets of close procedures, with
// what the knowledge base says of each, against testdata/clarify.golden (-update rewrites
// it): the question must ask what separates them in plain words, and each chip its value.
func TestClarifyGolden(t *testing.T) {
	base, err := corpus.KB()
	if err != nil {
		t.Fatal(err)
	}
	type doc struct{ id, code, title, level string }
	sets := []struct {
		name string
		docs []doc
	}{
		{"first card, lost, expired", []doc{
			{"cap-the-can-cuoc", "1.014061", "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", "Cấp xã"},
			{"cap-lai-the-can-cuoc", "1.014064", "Cấp lại thẻ căn cước", "Cấp xã"},
			{"cap-doi-the-can-cuoc", "1.014063", "Cấp đổi thẻ căn cước", "Cấp xã"}}},
		{"lost or expired card", []doc{
			{"cap-lai-the-can-cuoc", "1.014064", "Cấp lại thẻ căn cước", "Cấp xã"},
			{"cap-doi-the-can-cuoc", "1.014063", "Cấp đổi thẻ căn cước", "Cấp xã"}}},
		{"household business or company", []doc{
			{"dang-ky-ho-kinh-doanh", "1.001612", "Đăng ký thành lập hộ kinh doanh", "Cấp bộ, Cấp xã"},
			{"dang-ky-thanh-lap-doanh-nghiep", "2.001583", "Đăng ký thành lập công ty TNHH một thành viên", "Cấp bộ, Cấp tỉnh"}}},
		{"residence", []doc{
			{"dang-ky-thuong-tru", "1.004222", "Đăng ký thường trú", "Cấp xã"},
			{"xoa-dang-ky-thuong-tru", "1.003197", "Xóa đăng ký thường trú", "Cấp xã"},
			{"dang-ky-tam-tru", "1.004194", "Đăng ký tạm trú", "Cấp xã"},
			{"khai-bao-tam-vang", "1.003677", "Khai báo tạm vắng", "Cấp xã"}}},
		{"newborn", []doc{
			{"dang-ky-khai-sinh", "1.001193", "Đăng ký khai sinh", "Cấp xã"},
			{"lien-thong-khai-sinh-thuong-tru-bhyt", "2.000986", "Liên thông thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", "Cấp xã"}}},
		{"one procedure, not sure", []doc{
			{"dang-ky-khai-tu", "1.000656", "Đăng ký khai tử", "Cấp xã"}}},
	}
	var b strings.Builder
	for _, set := range sets {
		var offered []resolve.Candidate
		for _, d := range set.docs {
			c := resolve.Candidate{Result: thutuc.SearchResult{DocumentID: d.id, Code: d.code, Title: d.title, Kind: thutuc.KindProcedure, Level: d.level}}
			if e, ok := base.Entry(d.code); ok {
				c.Entry = e
			}
			offered = append(offered, c)
		}
		f := resolve.FacetOf(offered)
		b.WriteString("## " + set.name + " (" + f.Kind + ")\n\n" + clarifyText(f) + "\n\nchips:")
		for _, c := range candidateRefs(f) {
			b.WriteString(" [" + c.Label + "]")
		}
		b.WriteString("\n\n")
	}
	path := filepath.Join("testdata", "clarify.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("clarifications differ from %s (run with -update after checking):\n%s", path, got)
	}
}
