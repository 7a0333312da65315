package retrieval

import (
	"math"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/vntext"
)

func TestBundledLexicon(t *testing.T) {
	lx, err := ParseLexicon(corpus.Lexicon)
	if err != nil {
		t.Fatal(err)
	}
	if lx.Len() < 60 {
		t.Errorf("lexicon has %d entries, want at least 60", lx.Len())
	}
	tests := []struct {
		query string
		want  string // an official term the expansion must contain
	}{
		{"làm sổ đỏ lần đầu", "giấy chứng nhận quyền sử dụng đất"},
		{"lam so do lan dau", "giấy chứng nhận quyền sử dụng đất"},
		{"đổi bằng lái", "giấy phép lái xe"},
		{"CCCD bị mất", "thẻ căn cước"},
		{"nhập hộ khẩu cho con", "đăng ký thường trú"},
		{"làm passport", "hộ chiếu"},
		{"xin giấy độc thân", "xác nhận tình trạng hôn nhân"},
	}
	for _, tt := range tests {
		exps := lx.Expand(vntext.Words(tt.query))
		var all []string
		for _, e := range exps {
			all = append(all, e.Terms...)
		}
		if !strings.Contains(strings.Join(all, "|"), tt.want) {
			t.Errorf("Expand(%q) = %v, want a term containing %q", tt.query, all, tt.want)
		}
	}
}

func TestLexiconMatching(t *testing.T) {
	lx, err := ParseLexicon([]byte("# comment\nsổ đỏ\tgiấy chứng nhận quyền sử dụng đất\nđỏ\tmàu đỏ\nlàm lại căn cước\tcấp lại thẻ căn cước\ncăn cước\tthẻ căn cước\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string // everyday terms matched
	}{
		{"sổ đỏ", []string{"sổ đỏ"}},                       // the longer match hides "đỏ"
		{"SO DO nha toi", []string{"sổ đỏ"}},               // case and diacritics ignored
		{"sổ đỏng", nil},                                   // word boundaries
		{"làm lại căn cước", []string{"làm lại căn cước"}}, // longest wins
		{"căn cước và sổ đỏ", []string{"sổ đỏ", "căn cước"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range lx.Expand(vntext.Words(tt.query)) {
			got = append(got, e.Everyday)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Expand(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, bad := range []string{"no tab here\n", "\tterm\n", "x\t \n"} {
		if _, err := ParseLexicon([]byte(bad)); err == nil {
			t.Errorf("ParseLexicon(%q): want an error", bad)
		}
	}
}

func TestTSQueries(t *testing.T) {
	tq := tsQueries(vntext.Words("làm hộ chiếu hết bao nhiêu tiền"), nil, termShares{})
	acc, fol := tq.accented, tq.folded
	for _, want := range []string{"'hộ' <-> 'chiếu'", "'chiếu'", "'tiền'"} {
		if !strings.Contains(acc, want) {
			t.Errorf("accented query %q lacks %q", acc, want)
		}
	}
	if strings.Contains(acc, "'bao' |") || strings.Contains(acc, "| 'nhiêu' |") {
		t.Errorf("stopwords kept as unigrams: %q", acc)
	}
	if !strings.Contains(fol, "'ho' <-> 'chieu'") || vntext.HasDiacritics(fol) {
		t.Errorf("folded query %q", fol)
	}
	// "can cuoc": "can" alone may be the stopword cần, but the bigram keeps căn cước.
	fol = tsQueries(vntext.Words("can cuoc"), nil, termShares{}).folded
	if !strings.Contains(fol, "'can' <-> 'cuoc'") {
		t.Errorf("folded query %q lacks the bigram", fol)
	}
	// Quotes cannot escape the lexeme.
	acc = tsQueries([]string{"a'b", "c"}, nil, termShares{}).accented
	if strings.Count(acc, "'")%2 != 0 {
		t.Errorf("unbalanced quotes in %q", acc)
	}
}

func TestTSQueriesDropCommonWords(t *testing.T) {
	shares := termShares{
		accented: map[string]float64{"đăng": 0.5, "ký": 0.5, "hộ": 0.2},
		folded:   map[string]float64{"dang": 0.5, "ky": 0.5, "ho": 0.6},
		chunks:   40000,
	}
	tq := tsQueries(vntext.Words("đăng ký hộ chiếu"), nil, shares)
	acc, fol := tq.accented, tq.folded
	for _, gone := range []string{"'đăng' |", "'đăng' <-> 'ký'", "| 'hộ' |"} {
		if strings.Contains(" "+acc+" |", gone) {
			t.Errorf("accented query %q keeps the common %s", acc, gone)
		}
	}
	if !strings.Contains(acc, "'hộ' <-> 'chiếu'") || strings.Contains(acc, "'ký' <-> 'hộ'") {
		t.Errorf("accented query %q : want the phrase with a rare word, not the one of two common words", acc)
	}
	if strings.Contains(fol, "'ho' |") || !strings.Contains(fol, "'ho' <-> 'chieu'") {
		t.Errorf("folded query %q", fol)
	}
	// Nothing but common words: rank on them all.
	acc = tsQueries(vntext.Words("đăng ký"), nil, shares).accented
	if acc == "" {
		t.Error("a query of common words only became empty")
	}
	// On a small corpus the same shares are few chunks: nothing is pruned.
	shares.chunks = 500
	if acc := tsQueries(vntext.Words("đăng ký hộ chiếu"), nil, shares).accented; !strings.Contains(acc, "'đăng' <-> 'ký'") {
		t.Errorf("small corpus: accented query %q pruned a word", acc)
	}
}

func TestQueryValidate(t *testing.T) {
	tests := []struct {
		q    Query
		code string
	}{
		{Query{Text: "hộ chiếu"}, ""},
		{Query{Text: "  "}, thutuc.EINVALID},
		{Query{Text: strings.Repeat("a", MaxQueryRunes+1)}, thutuc.EINVALID},
		{Query{Text: "x", K: 51}, thutuc.EINVALID},
		{Query{Text: "x", K: -1}, thutuc.EINVALID},
		{Query{Text: "x", Mode: "bm25"}, thutuc.EINVALID},
		{Query{Text: "x", Filter: thutuc.Filter{Kind: "law"}}, thutuc.EINVALID},
	}
	for _, tt := range tests {
		if got := thutuc.ErrorCode(tt.q.Validate()); got != tt.code {
			t.Errorf("Validate(%+v) = %q, want %q", tt.q, got, tt.code)
		}
	}
	q := Query{Text: " x "}
	_ = q.Validate()
	if q.K != 5 || q.Mode != ModeHybrid || q.Text != "x" {
		t.Errorf("defaults not applied: %+v", q)
	}
}

func TestLevelOrder(t *testing.T) {
	tests := []struct {
		query string
		want  string
	}{
		{"cấp đổi thẻ căn cước", "xa tinh bo"},
		{"cấp đổi thẻ căn cước ở tỉnh", "tinh xa bo"},
		{"cap doi the can cuoc cap tinh", "tinh xa bo"},
		{"nộp hồ sơ tại Bộ Công an", "bo xa tinh"},
		{"thủ tục cấp trung ương hay cấp xã", "bo xa tinh"},
		{"nộp một bộ hồ sơ", "xa tinh bo"}, // bộ hồ sơ is a set of papers, not a ministry
		{"làm ở phường", "xa tinh bo"},
		{"cơ sở tỉnh lộ", "xa tinh bo"},
	}
	for _, tt := range tests {
		if got := strings.Join(levelOrder(vntext.Words(tt.query)), " "); got != tt.want {
			t.Errorf("levelOrder(%q) = %s, want %s", tt.query, got, tt.want)
		}
	}
}

func TestLevelBonus(t *testing.T) {
	order := []string{"xa", "tinh", "bo"}
	tests := []struct {
		levels []string
		want   float64
	}{
		{[]string{"xa"}, levelBoost},
		{[]string{"tinh"}, levelBoost / 2},
		{[]string{"bo"}, 0},
		{[]string{"bo", "tinh"}, levelBoost / 2}, // the best level counts
		{nil, 0},
		{[]string{"khac"}, 0},
	}
	for _, tt := range tests {
		if got := levelBonus(tt.levels, order); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("levelBonus(%v) = %v, want %v", tt.levels, got, tt.want)
		}
	}
}

func TestFuse(t *testing.T) {
	text := []postgres.ChunkHit{{ChunkID: 1, DocumentID: "a"}, {ChunkID: 2, DocumentID: "b"}}
	vec := []postgres.ChunkHit{{ChunkID: 2, DocumentID: "b"}, {ChunkID: 3, DocumentID: "c"}}
	got := fuse(text, vec)
	if len(got) != 3 || got[0].ChunkID != 2 {
		t.Fatalf("fuse = %+v, want chunk 2 (in both lists) first", got)
	}
	if want := 1.0/61 + 1.0/62; math.Abs(got[0].score-want) > 1e-12 {
		t.Errorf("score = %v, want %v", got[0].score, want)
	}
}
