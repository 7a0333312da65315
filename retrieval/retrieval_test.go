package retrieval

import (
	"math"
	"slices"
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

func TestLexicalTerms(t *testing.T) {
	type term struct {
		kind   byte
		text   string
		weight float64
	}
	collect := func(query string, exps []Expansion) map[term]bool {
		m := map[term]bool{}
		for _, lt := range lexicalTerms(vntext.Words(query), exps) {
			m[term{lt.kind, strings.TrimSpace(lt.a + " " + lt.b), lt.weight}] = true
		}
		return m
	}
	tests := []struct {
		query string
		exps  []Expansion
		want  []term
		not   []term
	}{
		// Typed with diacritics: the accented word counts fully, its folded form a little.
		{"làm hộ chiếu hết bao nhiêu tiền", nil,
			[]term{{termPairAccented, "hộ chiếu", 1}, {termPairFolded, "ho chieu", 0.3}, {termAccented, "tiền", 1}, {termFolded, "tien", 0.3}},
			[]term{{termAccented, "bao", 1}, {termFolded, "bao", 1}, {termAccented, "nhiêu", 1}, {termPairAccented, "bao nhiêu", 1}}},
		// Typed without: folded terms at full weight, folded stopwords left out.
		{"lam can cuoc het bao nhieu", nil,
			[]term{{termPairFolded, "can cuoc", 1}, {termFolded, "cuoc", 1}},
			[]term{{termFolded, "nhieu", 1}, {termPairFolded, "bao nhieu", 1}}},
		// Official terms from the lexicon count less than typed words.
		{"sổ đỏ", []Expansion{{Everyday: "sổ đỏ", Terms: []string{"giấy chứng nhận"}}},
			[]term{{termPairAccented, "sổ đỏ", 1}, {termPairAccented, "chứng nhận", weightExpansion}},
			nil},
	}
	for _, tt := range tests {
		got := collect(tt.query, tt.exps)
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("lexicalTerms(%q) lacks %+v; got %v", tt.query, w, got)
			}
		}
		for _, n := range tt.not {
			if got[n] {
				t.Errorf("lexicalTerms(%q) has %+v", tt.query, n)
			}
		}
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
		{"nộp lên tỉnh thì lệ phí bao nhiêu", "tinh xa bo"},
	}
	for _, tt := range tests {
		if got := strings.Join(levelOrder(vntext.Words(tt.query)), " "); got != tt.want {
			t.Errorf("levelOrder(%q) = %s, want %s", tt.query, got, tt.want)
		}
	}
}

func TestNamedLevels(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"cấp đổi thẻ căn cước hết bao nhiêu tiền", nil},
		{"thế ở cấp tỉnh thì sao?", []string{"tinh"}},
		{"nộp lên tỉnh thì lệ phí bao nhiêu", []string{"tinh"}},
		{"còn cấp bộ?", []string{"bo"}},
		{"con cap bo", []string{"bo"}},
		{"nộp tại Bộ Công an", []string{"bo"}},
		{"UBND tỉnh hay phường", []string{"tinh", "xa"}},
		{"thủ tục cấp trung ương hay cấp xã, cấp trung ương", []string{"bo", "xa"}}, // each once
		{"nộp một bộ hồ sơ", nil},
		{"cơ sở tỉnh lộ", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := NamedLevels(vntext.Words(tt.query)); !slices.Equal(got, tt.want) {
			t.Errorf("NamedLevels(%q) = %v, want %v", tt.query, got, tt.want)
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
	text := []postgres.ChunkHit{{ChunkID: 1, DocumentID: "a", Score: 9}, {ChunkID: 2, DocumentID: "b", Score: 8}}
	vec := []postgres.ChunkHit{{ChunkID: 2, DocumentID: "b", Score: 0.9}, {ChunkID: 3, DocumentID: "c", Score: 0.8}}
	got := fuse(FusionRRF, nil, []ranking{{text, 1}, {vec, 1}}, nil)
	if len(got) != 3 || got[0].id != "b" {
		t.Fatalf("fuse = %+v, want b (in both lists) first", got)
	}
	if want := 1.0/(rrfK+2) + 1.0/(rrfK+1); math.Abs(got[0].score-want) > 1e-12 {
		t.Errorf("score = %v, want %v", got[0].score, want)
	}
}

// A document one retriever ranks first stays ahead of one that only has more chunks.
func TestFuseRanksDocumentsNotChunks(t *testing.T) {
	text := []postgres.ChunkHit{
		{ChunkID: 1, DocumentID: "asked", Score: 10},
		{ChunkID: 2, DocumentID: "wordy", Score: 6}, {ChunkID: 3, DocumentID: "wordy", Score: 5.9}, {ChunkID: 4, DocumentID: "wordy", Score: 5.8},
		{ChunkID: 5, DocumentID: "asked", Score: 1},
	}
	got := fuse(FusionRRF, nil, []ranking{{text, 1}}, nil)
	if got[0].id != "asked" || got[1].id != "wordy" {
		t.Fatalf("fuse = %v %v, want asked then wordy", got[0].id, got[1].id)
	}
	if len(got[0].chunks) != 2 || got[0].chunks[0].ChunkID != 1 || got[0].chunks[1].ChunkID != 5 {
		t.Errorf("chunks of asked = %+v, want 1 then 5", got[0].chunks)
	}
}

// Score fusion adds the lexical score relative to the best and the document vectors' cosine;
// a document a vector ranking missed gets its lowest similarity, and one found only by its
// own vector has no chunks yet (group loads its lead chunk).
func TestFuseScores(t *testing.T) {
	text := []postgres.ChunkHit{{ChunkID: 1, DocumentID: "a", Score: 10}, {ChunkID: 2, DocumentID: "b", Score: 9}}
	own := []postgres.DocumentHit{{DocumentID: "b", Score: 0.8}, {DocumentID: "c", Score: 0.7}, {DocumentID: "a", Score: 0.2}}
	got := fuse(FusionScores, nil, []ranking{{text, 1}}, []docRanking{{own, 1}})
	ids := make([]string, len(got))
	for i, d := range got {
		ids[i] = d.id
	}
	// a: 1 + 0.2 = 1.2; b: 0.9 + 0.8 = 1.7; c: 0 + 0.7 = 0.7
	if strings.Join(ids, " ") != "b a c" {
		t.Fatalf("order = %v, want b a c", ids)
	}
	if math.Abs(got[0].score-1.7) > 1e-9 || math.Abs(got[2].score-0.7) > 1e-9 {
		t.Errorf("scores = %v %v, want 1.7 and 0.7", got[0].score, got[2].score)
	}
	if len(got[2].chunks) != 0 {
		t.Errorf("c has chunks %v", got[2].chunks)
	}
	// A document missing from the vector ranking gets its lowest similarity, not zero.
	got = fuse(FusionScores, nil, []ranking{{text, 1}}, []docRanking{{own[:1], 1}})
	if got[0].id != "a" || math.Abs(got[0].score-(1+0.8)) > 1e-9 {
		t.Errorf("fuse = %s %.2f / %s %.2f, want a first at 1 + 0.8", got[0].id, got[0].score, got[1].id, got[1].score)
	}
}
