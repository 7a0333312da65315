package resolve

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

func cand(id, code, title, level string, e *kb.Entry) Candidate {
	return Candidate{Result: thutuc.SearchResult{DocumentID: id, Code: code, Title: title, Kind: thutuc.KindProcedure, Level: level}, Entry: e}
}

var (
	capLai = cand("1.000890", "1.000890", "Cấp lại thẻ căn cước", "Cấp xã",
		&kb.Entry{Actions: []string{"cấp lại"}, Applicants: []string{"cá nhân"}, Circumstances: []string{"bị mất", "bị hỏng"}})
	capDoi = cand("1.000889", "1.000889", "Cấp đổi thẻ căn cước", "Cấp xã",
		&kb.Entry{Actions: []string{"cấp đổi"}, Applicants: []string{"cá nhân"}, Circumstances: []string{"hết hạn", "thay đổi thông tin"}})
	capMoi = cand("1.000888", "1.000888", "Cấp thẻ căn cước", "Cấp xã",
		&kb.Entry{Actions: []string{"cấp mới"}, Applicants: []string{"cá nhân"}, Circumstances: []string{"lần đầu"}})
)

func TestFacetOf(t *testing.T) {
	tests := []struct {
		name    string
		offered []Candidate
		kind    string
		want    string
	}{
		{"actions differ", []Candidate{capMoi, capLai}, FacetAction, "Anh/chị cần làm lần đầu hay làm lại vì bị mất hoặc hỏng?"},
		{"applicants differ", []Candidate{
			cand("a", "a", "Đăng ký thuế", "Cấp xã", &kb.Entry{Actions: []string{"đăng ký"}, Applicants: []string{"cá nhân"}}),
			cand("b", "b", "Đăng ký thuế lần đầu cho tổ chức", "Cấp xã", &kb.Entry{Actions: []string{"đăng ký"}, Applicants: []string{"doanh nghiệp"}}),
		}, FacetApplicant, "Anh/chị nộp với tư cách cá nhân hay doanh nghiệp?"},
		{"levels differ", []Candidate{
			cand("a", "a", "Thẩm định dự án", "Cấp tỉnh", &kb.Entry{Actions: []string{"thẩm định"}}),
			cand("b", "b", "Thẩm định dự án nhóm A", "Cấp bộ", &kb.Entry{Actions: []string{"thẩm định"}}),
		}, FacetLevel, "Anh/chị làm thủ tục ở cấp tỉnh hay cấp bộ, trung ương?"},
		{"nothing else separates them", []Candidate{cand("a", "a", "Thủ tục A", "", nil), cand("b", "b", "Thủ tục B", "", nil)},
			FacetTitle, "Anh/chị hỏi về thủ tục nào dưới đây?"},
		{"titles alike", []Candidate{cand("a", "1.1", "Thủ tục A", "", nil), cand("b", "", "Thủ tục A", "", nil)},
			FacetTitle, "Anh/chị hỏi về thủ tục nào dưới đây?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FacetOf(tt.offered)
			if f.Kind != tt.kind || f.Question != tt.want || len(f.Options) != len(tt.offered) {
				t.Fatalf("facet = %+v, want %s %q", f, tt.kind, tt.want)
			}
			for i, o := range f.Options {
				if o.ID != tt.offered[i].ID() {
					t.Errorf("option %d picks %s, want %s", i, o.ID, tt.offered[i].ID())
				}
			}
		})
	}
}

func TestPick(t *testing.T) {
	opts := FacetOf([]Candidate{capMoi, capLai, capDoi}).Options
	tests := []struct {
		reply string
		want  int
	}{
		{"2", 1}, {"số 3", 2}, {"cái thứ hai", 1}, {"thu nhat", 0}, {"cái đầu", 0}, {"cái cuối", 2},
		{"cái bị mất", 1}, {"bi mat roi", 1}, {"hết hạn", 2}, {"lần đầu ạ", 0},
		{"không biết", -1}, {"", -1},
	}
	for _, tt := range tests {
		if got := Pick(tt.reply, opts); got != tt.want {
			t.Errorf("Pick(%q) = %d, want %d", tt.reply, got, tt.want)
		}
	}
}

func TestFocusText(t *testing.T) {
	short := "làm lại sổ đỏ bị mất cần gì"
	if got := focusText(short); got != short {
		t.Errorf("a short message is read whole: %q", got)
	}
	story := strings.Repeat("Nhà tôi ở quê, bố mẹ đã già và các anh chị em đều đi làm xa nên ít khi về. ", 12) +
		"Năm ngoái bão làm ướt hết giấy tờ trong nhà. Giờ tôi muốn làm lại sổ đỏ bị hỏng thì cần giấy tờ gì?"
	got := focusText(story)
	if !strings.Contains(got, "làm lại sổ đỏ") || len([]rune(got)) > maxFocusRunes || !strings.Contains(got, "bão") {
		t.Errorf("focusText kept %q; want the asking sentence and the one before it", got)
	}
}

func TestGroupLevelsAndSheets(t *testing.T) {
	rs := []thutuc.SearchResult{
		{DocumentID: "1.000894", Code: "1.000894", Title: "Thủ tục đăng ký kết hôn", Kind: thutuc.KindProcedure, Level: "Cấp xã", Score: 3},
		{DocumentID: "dang-ky-ket-hon", Code: "1.000894", Title: "Đăng ký kết hôn", Kind: thutuc.KindProcedure, Level: "Cấp xã", Score: 2.5},
		{DocumentID: "1.000889", Code: "1.000889", Title: "Cấp đổi thẻ căn cước", Kind: thutuc.KindProcedure, Level: "Cấp xã", Score: 2},
		{DocumentID: "2.001", Code: "2.001", Title: "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)", Kind: thutuc.KindProcedure, Level: "Cấp tỉnh", Score: 1.9},
		{DocumentID: "luat", Title: "Luật Cư trú", Kind: thutuc.KindRegulation, Score: 1},
	}
	got := group(rs, map[string]retrieval.Signals{}, map[string]postgres.DocumentName{})
	if len(got) != 3 {
		t.Fatalf("%d candidates, want 3 (the sheet with its record, the card at two levels, the law)", len(got))
	}
	if got[0].ID() != "dang-ky-ket-hon" || len(got[0].Sources) != 1 || got[0].Sources[0] != "1.000894" || len(got[0].Variants) != 0 {
		t.Errorf("first = %s sources %v variants %d; want the bundled sheet standing for its record", got[0].ID(), got[0].Sources, len(got[0].Variants))
	}
	if !got[0].Accepts([]string{"1.000894"}) || !got[0].has("1.000894") {
		t.Error("the sheet's candidate does not accept its record's code")
	}
	if got[1].ID() != "1.000889" || len(got[1].Variants) != 1 || got[1].Variants[0].DocumentID != "2.001" {
		t.Errorf("second = %s variants %v; want the commune level with the province as its variant", got[1].ID(), got[1].Variants)
	}
}

// The model learns from examples and its thresholds are chosen under the constraints.
func TestFitAndThresholds(t *testing.T) {
	nc, nn := len(CandidateFeatures), len(NoneFeatures)
	feat := func(named float64) Features {
		f := make(Features, nc)
		f[7] = named
		return f
	}
	none := func(topic float64) Features {
		g := make(Features, nn)
		g[0], g[4] = 1, topic
		return g
	}
	var exs []Example
	var has []bool
	for i := 0; i < 40; i++ {
		exs = append(exs, Example{Candidates: []Features{feat(1), feat(0.2)}, None: none(0), Label: 0})
		has = append(has, true)
		exs = append(exs, Example{Candidates: []Features{feat(0.1), feat(0.1)}, None: none(1), Label: -1})
		has = append(has, false)
	}
	m, err := Fit(exs, FitOptions{L2: 0.001, Steps: 300})
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Probabilities(exs[0]); p[1] < 0.8 {
		t.Errorf("P(named candidate) = %.2f, want the model to learn it", p[1])
	}
	if p := m.Probabilities(exs[1]); p[0] < 0.8 {
		t.Errorf("P(none) for an uncovered topic = %.2f", p[0])
	}
	o := m.ChooseThresholds([][]Example{exs}, [][]bool{has}, 0.05, 0.9, nil)[0]
	if o.RightRate() < 0.99 || o.WrongRate() > 0.05 || o.NoneRecall() < 0.9 {
		t.Errorf("outcome %s", o)
	}
}

// The committed model has this build's features and sane thresholds.
func TestCommittedModelLoads(t *testing.T) {
	data, err := corpus.Resolver()
	if err != nil || data == nil {
		t.Fatalf("no committed resolver model (%v): run `thutuc resolver-train`", err)
	}
	m, err := LoadModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Answer < m.Offer {
		t.Errorf("answer threshold %.2f below the offer threshold %.2f", m.Answer, m.Offer)
	}
	if _, err := LoadModel([]byte(`{"candidate_features": ["fused"], "w": [1]}`)); err == nil {
		t.Error("a model of other features loaded")
	}
}

func TestOnePerCode(t *testing.T) {
	sheet := thutuc.SearchResult{DocumentID: "dang-ky-ket-hon", Code: "1.000894", Kind: thutuc.KindProcedure, Score: 0.5}
	record := thutuc.SearchResult{DocumentID: "1.000894", Code: "1.000894", Kind: thutuc.KindProcedure, Score: 0.9}
	other := thutuc.SearchResult{DocumentID: "1.000001", Code: "1.000001", Kind: thutuc.KindProcedure, Score: 0.7}
	law := thutuc.SearchResult{DocumentID: "luat-ho-tich", Kind: thutuc.KindRegulation, Score: 0.6}
	got := OnePerCode([]thutuc.SearchResult{record, other, law, sheet})
	var ids []string
	for _, r := range got {
		ids = append(ids, r.DocumentID)
	}
	if want := []string{"dang-ky-ket-hon", "1.000001", "luat-ho-tich"}; !slices.Equal(ids, want) {
		t.Fatalf("OnePerCode = %v, want %v", ids, want)
	}
	if got[0].Score != 0.9 {
		t.Errorf("the merged result scores %.2f, want the record's 0.9", got[0].Score)
	}
}

// TestPickConfirm: a lone procedure offered is accepted by a short yes only; a refusal or a
// new question is a message of its own.
func TestPickConfirm(t *testing.T) {
	f := FacetOf([]Candidate{capLai})
	if f.Kind != FacetConfirm || len(f.Options) != 1 {
		t.Fatalf("facet of one candidate = %+v, want one confirm option", f)
	}
	for reply, want := range map[string]int{
		"đúng": 0, "dung roi": 0, "vâng ạ": 0, "ừ": 0, "phải": 0, "1": 0, "ok": 0,
		"không": -1, "không phải": -1, "ko phai": -1, "làm lại căn cước cho con thì cần gì": -1, "thôi": -1,
	} {
		if got := Pick(reply, f.Options); got != want {
			t.Errorf("Pick(%q) = %d, want %d", reply, got, want)
		}
	}
}

// TestChooseConfirm: a lone candidate below the answer threshold is offered alone only when
// the model has a confirm threshold and it reaches it.
func TestChooseConfirm(t *testing.T) {
	m := &Model{Answer: 0.6, Offer: 0.1, Clarify: 0.3}
	tests := []struct {
		confirm float64
		ps      []float64
		want    string
		n       int
	}{
		{0, []float64{0.5, 0.05}, None, 0},
		{0.4, []float64{0.5, 0.05}, Clarify, 1},
		{0.4, []float64{0.35, 0.05}, None, 0},
		{0.4, []float64{0.3, 0.2}, Clarify, 2},
		{0.4, []float64{0.7}, Answer, 1},
	}
	for _, tt := range tests {
		m.Confirm = tt.confirm
		if got, n := m.choose(tt.ps); got != tt.want || n != tt.n {
			t.Errorf("confirm %.2f, choose(%v) = %s %d, want %s %d", tt.confirm, tt.ps, got, n, tt.want, tt.n)
		}
	}
}

// A message naming no subject in a conversation is answered about the conversation's procedure,
// wherever the model ranks it; without one it is decided by the thresholds.
func TestNoTopicFollowsTheConversation(t *testing.T) {
	m := &Model{Answer: 0.6, Offer: 0.1, Clarify: 0.3}
	cur := capDoi
	cur.Current, cur.P = true, 0.25
	other := capLai
	other.P = 0.45
	for _, tt := range []struct {
		name    string
		noTopic bool
		cands   []Candidate
		want    string
		first   string
	}{
		{"no subject", true, []Candidate{other, cur}, Answer, cur.ID()},
		{"a subject", false, []Candidate{other, cur}, Clarify, other.ID()},
		{"no conversation", true, []Candidate{other}, None, other.ID()},
	} {
		o := &Observation{Resolution: &Resolution{NoTopic: tt.noTopic, Candidates: slices.Clone(tt.cands)}}
		o.decide(m)
		if o.Decision != tt.want || o.Candidates[0].ID() != tt.first || len(o.Candidates) != len(tt.cands) {
			t.Errorf("%s: %s, first %s of %d, want %s, first %s", tt.name, o.Decision, o.Candidates[0].ID(), len(o.Candidates), tt.want, tt.first)
		}
	}
}

// A hidden layer learns what a sum of weights cannot: here a candidate is the one meant when
// exactly one of two features is set (first and named: either alone, not both), and the
// model must tell it from a rival with both or neither.
func TestFitHiddenLearnsInteraction(t *testing.T) {
	nc, nn := len(CandidateFeatures), len(NoneFeatures)
	feat := func(first, named float64) Features {
		f := make(Features, nc)
		f[1], f[7] = first, named
		return f
	}
	none := make(Features, nn)
	var exs []Example
	for i := 0; i < 30; i++ {
		exs = append(exs,
			Example{Candidates: []Features{feat(1, 0), feat(1, 1)}, None: none, Label: 0},
			Example{Candidates: []Features{feat(0, 0), feat(0, 1)}, None: none, Label: 1},
			Example{Candidates: []Features{feat(1, 1), feat(0, 1)}, None: none, Label: 1},
			Example{Candidates: []Features{feat(0, 0), feat(1, 0)}, None: none, Label: 1})
	}
	right := func(m *Model) int {
		n := 0
		for _, ex := range exs[:4] {
			p := m.Probabilities(ex)
			if p[ex.Label+1] > p[2-ex.Label] {
				n++
			}
		}
		return n
	}
	linear, err := Fit(exs, FitOptions{L2: 0.001, Steps: 300})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := Fit(exs, FitOptions{L2: 0.001, Steps: 300, Hidden: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if right(linear) == 4 {
		t.Fatal("a linear model separates the interaction: the test shows nothing")
	}
	if got := right(hidden); got != 4 {
		t.Errorf("hidden layer ranks %d of 4 patterns right, want 4", got)
	}
	data, err := hidden.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(withThresholds(t, data))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := hidden.Probabilities(exs[0]), back.Probabilities(exs[0]); a[1] != b[1] {
		t.Errorf("reloaded model gives %v, fitted %v", b, a)
	}
}

// withThresholds sets a fitted model's thresholds so that it loads.
func withThresholds(t *testing.T, data []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["answer"], m["offer"], m["clarify"] = 0.5, 0.1, 0.3
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A sheet is named as its catalog record is: the knowledge base's names join its own, once
// each, and the names it was given are not changed.
func TestWithNames(t *testing.T) {
	own := []string{"khai báo lưu trú", "báo lưu trú"}
	n := postgres.DocumentName{ID: "thong-bao-luu-tru", Title: "Thông báo lưu trú", Aliases: own[:2:2]}
	got := withNames(n, []string{"Khai bao luu tru", "thông báo lưu trú", "báo công an có khách ngủ lại qua đêm"})
	want := []string{"khai báo lưu trú", "báo lưu trú", "báo công an có khách ngủ lại qua đêm"}
	if !slices.Equal(got.Aliases, want) {
		t.Errorf("aliases %q, want %q", got.Aliases, want)
	}
	if len(n.Aliases) != 2 || got.Title != n.Title {
		t.Errorf("the document's own names changed: %q", n.Aliases)
	}
}
