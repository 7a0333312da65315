package ingest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
)

func TestLawSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Luật Cư trú", "luat-cu-tru"},
		{"Luật Phòng, chống ma túy", "luat-phong-chong-ma-tuy"},
		{"Bộ luật dân sự", "bo-luat-dan-su"},
		{"Luật Điện ảnh", "luat-dien-anh"},
		{"  Hiến   pháp 2013 ", "hien-phap-2013"},
		{"Luật Ho\u0323\u0302 ti\u0323\u0302ch", "luat-ho-tich"}, // decomposed input
		{"!!!", "van-ban"},
	}
	for _, tt := range tests {
		if got := LawSlug(tt.in); got != tt.want {
			t.Errorf("LawSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLawArticleParts(t *testing.T) {
	tests := []struct{ in, title, body string }{
		{"Phạm vi áp dụng\n\nLuật này áp dụng cho mọi người.", "Phạm vi áp dụng", "Luật này áp dụng cho mọi người."},
		{"Nguyên tắc\n1. Một.\n\n2. Hai.", "Nguyên tắc", "1. Một.\n\n2. Hai."},
		{"Quản lý hoạt động nhập khẩu, xuất khẩu,\ntạm nhập, tái xuất\n\nNội dung.", "Quản lý hoạt động nhập khẩu, xuất khẩu, tạm nhập, tái xuất", "Nội dung."},
		{"Mọi người đều bình đẳng trước pháp luật.", "", "Mọi người đều bình đẳng trước pháp luật."},
		{"1. Khoản đầu.\n\n2. Khoản sau.", "", "1. Khoản đầu.\n\n2. Khoản sau."},
		{"Mục đích của đánh giá", "Mục đích của đánh giá", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		title, body := LawArticleParts(tt.in)
		if title != tt.title || body != tt.body {
			t.Errorf("LawArticleParts(%q) = %q, %q; want %q, %q", tt.in, title, body, tt.title, tt.body)
		}
	}
}

func TestReadLawsSynthetic(t *testing.T) {
	laws := []map[string]any{
		{"id": "Luật Thử nghiệm", "articles": []map[string]string{
			{"id": "1", "text": "Phạm vi\n\n1. Khoản một.\n\n## Không phải tiêu đề\n\n- không phải danh sách"},
			{"id": "2", "text": "Điều khoản thi hành\n\nLuật có hiệu lực."},
		}},
		{"id": "Luật thử nghiệm", "articles": []map[string]string{{"id": "1", "text": "Điều duy nhất"}}},
		{"id": "", "articles": []map[string]string{}},
		{"id": "Luật Sai kiểu", "articles": "không phải mảng"},
	}
	data, err := json.Marshal(laws)
	if err != nil {
		t.Fatal(err)
	}
	sheets := map[string]string{}
	var problems []string
	st, err := ReadLaws(strings.NewReader(string(data)), "laws.json", "2025-07-01",
		func(name string, sheet []byte) error { sheets[name] = string(sheet); return nil },
		func(name string, err error) { problems = append(problems, name) })
	if err != nil {
		t.Fatal(err)
	}
	if st != (LawStats{Laws: 4, Articles: 3, Failed: 2}) {
		t.Errorf("stats = %+v", st)
	}
	if want := []string{"laws.json#2", "laws.json#3"}; !reflect.DeepEqual(problems, want) {
		t.Errorf("problems = %v, want %v", problems, want)
	}
	first, ok := sheets["laws.json#luat-thu-nghiem"]
	if !ok {
		t.Fatalf("no sheet luat-thu-nghiem in %v", sheets)
	}
	if _, ok := sheets["laws.json#luat-thu-nghiem-2"]; !ok {
		t.Errorf("colliding slug not suffixed: %v", sheets)
	}
	for _, want := range []string{
		"id: \"luat-thu-nghiem\"\n", "kind: \"regulation\"\n", "source_url: \"" + LawSourceURL + "\"\n",
		"## Điều 1. Phạm vi\n\n1\\. Khoản một.\n\n\\## Không phải tiêu đề\n\n\\- không phải danh sách\n",
		"## Điều 2. Điều khoản thi hành\n\nLuật có hiệu lực.\n",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("sheet lacks %q:\n%s", want, first)
		}
	}
	sh, err := ParseSheet("luat-thu-nghiem.md", []byte(first))
	if err != nil {
		t.Fatal(err)
	}
	var articles []string
	for _, s := range sh.Sections {
		if s.Canonical == thutuc.SectionArticle {
			articles = append(articles, s.Article)
		}
	}
	if want := []string{"1", "2"}; !reflect.DeepEqual(articles, want) {
		t.Errorf("articles = %v, want %v", articles, want)
	}

	stop := errors.New("stop")
	if _, err := ReadLaws(strings.NewReader(string(data)), "laws.json", "2025-07-01",
		func(string, []byte) error { return stop }, nil); !errors.Is(err, stop) {
		t.Errorf("error from fn: got %v", err)
	}
	if _, err := ReadLaws(strings.NewReader(`{"id": "x"}`), "laws.json", "2025-07-01",
		func(string, []byte) error { return nil }, nil); err == nil {
		t.Error("a JSON object was accepted as the laws array")
	}
}

// TestReadLaws converts the real laws: every law yields a sheet that parses, with one
// "## Điều N." section per article and the article numbers kept.
func TestReadLaws(t *testing.T) {
	path := sharedData(t, "laws-alqac2023.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var laws []lawRecord
	if err := json.Unmarshal(data, &laws); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	ids := map[string]bool{}
	headings := 0
	st, err := ReadLaws(f, "laws-alqac2023.json", "2025-07-01", func(name string, sheet []byte) error {
		i := len(names)
		names = append(names, name)
		sh, err := ParseSheet(name, sheet)
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			return nil
		}
		if ids[sh.Meta.ID] {
			t.Errorf("%s: id %q used twice", name, sh.Meta.ID)
		}
		ids[sh.Meta.ID] = true
		if sh.Meta.Title != laws[i].ID || sh.Meta.Kind != thutuc.KindRegulation {
			t.Errorf("%s: title %q kind %q", name, sh.Meta.Title, sh.Meta.Kind)
		}
		n := 0
		for _, line := range strings.Split(string(sheet), "\n") {
			if strings.HasPrefix(line, "## Điều ") {
				n++
			}
		}
		headings += n
		var got []string
		for _, s := range sh.Sections {
			if s.Canonical == thutuc.SectionArticle {
				got = append(got, s.Article)
			} else if s.Canonical != thutuc.SectionOverview {
				t.Errorf("%s: section %q is not an article", name, s.Heading)
			}
		}
		var want []string
		for _, a := range laws[i].Articles {
			want = append(want, a.ID)
		}
		if n != len(want) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d headings, articles %v, want %v", name, n, got, want)
		}
		return nil
	}, func(name string, err error) { t.Errorf("problem %s: %v", name, err) })
	if err != nil {
		t.Fatal(err)
	}
	if st.Laws != 17 || st.Articles != 2249 || st.Failed != 0 || len(names) != 17 || headings != 2249 {
		t.Errorf("stats %+v, %d sheets, %d article headings; want 17 laws and 2249 articles", st, len(names), headings)
	}
}

// sharedData returns the path of a file in ../shared/data (next to the project), skipping the
// test when it is absent.
func sharedData(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available: %v", err)
	}
	return p
}
