package chat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
)

func TestIsLevelVariant(t *testing.T) {
	proc := func(id, title string) thutuc.SearchResult {
		return thutuc.SearchResult{DocumentID: id, Title: title, Kind: thutuc.KindProcedure}
	}
	reg := thutuc.SearchResult{DocumentID: "luat", Title: "Cấp đổi thẻ căn cước", Kind: thutuc.KindRegulation}
	tests := []struct {
		name string
		a, b thutuc.SearchResult
		want bool
	}{
		{"same title, other document", proc("x", "Cấp đổi thẻ căn cước"), proc("t", "Cấp đổi thẻ căn cước"), true},
		{"title with level phrase", proc("x", "Cấp đổi thẻ căn cước"), proc("t", "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)"), true},
		{"same document", proc("x", "Cấp đổi thẻ căn cước"), proc("x", "Cấp đổi thẻ căn cước"), false},
		{"other procedure", proc("x", "Cấp đổi thẻ căn cước"), proc("l", "Cấp lại thẻ căn cước"), false},
		{"a regulation has no levels", proc("x", "Cấp đổi thẻ căn cước"), reg, false},
	}
	for _, tt := range tests {
		if got := isLevelVariant(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: isLevelVariant = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// levelCand is a search result of the given document with retrieval score score.
func levelCand(id, title, level string, score float64) thutuc.SearchResult {
	return thutuc.SearchResult{DocumentID: id, Title: title, Kind: thutuc.KindProcedure, Level: level,
		Code: "code-" + id, SourceURL: "https://example.gov.vn/" + id, Score: score}
}

func TestVariantsLine(t *testing.T) {
	const doi = "Cấp đổi thẻ căn cước"
	vs := []LevelVariant{newLevelVariant(levelCand("doi-tinh", doi, "Cấp tỉnh", 0.98)), newLevelVariant(levelCand("doi-bo", doi, "Cấp bộ", 0.95))}
	line := variantsLine(otherLevels(vs, "Cấp xã"))
	want := "Thủ tục này cũng có ở cấp khác: Cấp tỉnh — mã code-doi-tinh <https://example.gov.vn/doi-tinh>; " +
		"Cấp bộ — mã code-doi-bo <https://example.gov.vn/doi-bo>."
	if line != want {
		t.Errorf("variantsLine =\n%s\nwant\n%s", line, want)
	}
	if l := variantsLine(nil); l != "" {
		t.Errorf("no variants, line %q", l)
	}
	// Without a level the title names the variant; a copy at the same level is not another level.
	same := []LevelVariant{{ID: "a", Title: "Cấp đổi thẻ căn cước (Hà Nội)", Level: "Cấp xã"}, {ID: "b", Title: doi + " (cấp bộ)"}}
	if l, want := variantsLine(otherLevels(same, "Cấp xã")), "Thủ tục này cũng có ở cấp khác: "+doi+" (cấp bộ)."; l != want {
		t.Errorf("variantsLine = %q, want %q", l, want)
	}
	many := []LevelVariant{{ID: "1", Level: "Cấp tỉnh"}, {ID: "2", Level: "Cấp bộ"}, {ID: "3", Level: "Cấp huyện"}, {ID: "4", Level: "Cơ quan khác"}}
	if n := len(otherLevels(many, "Cấp xã")); n != maxLevelVariants {
		t.Errorf("%d variants named, want at most %d", n, maxLevelVariants)
	}

}

// levelSheet is a procedure sheet with a fee section.
func levelSheet(id, code, title, level, fee string) string {
	return "---\nid: " + id + "\ncode: \"" + code + "\"\ntitle: " + title + "\nkind: procedure\nlevel: " + level +
		"\nsource_url: https://dichvucong.gov.vn/" + id + "\nas_of: 2025-07-01\n---\n# " + title + "\n\n" +
		title + " do cơ quan " + strings.ToLower(level) + " giải quyết.\n\n" +
		"## Phí, lệ phí\n\n- **Trực tiếp**: " + fee + ".\n\n" +
		"## Thời hạn giải quyết\n\n- 7 ngày làm việc kể từ ngày nhận đủ hồ sơ.\n"
}

// levelStore is a Service over a store with "Cấp đổi thẻ căn cước" at three levels, an
// unrelated procedure and the sheets given in extra (file name → content).
func levelStore(t *testing.T, gen Generator, extra map[string]string) *Service {
	t.Helper()
	dir := t.TempDir()
	sheets := map[string]string{
		"doi-xa.md":    levelSheet("doi-xa", "1.014063", "Cấp đổi thẻ căn cước", "Cấp xã", "30.000 đồng"),
		"doi-tinh.md":  levelSheet("doi-tinh", "1.001234", "Cấp đổi thẻ căn cước", "Cấp tỉnh", "40.000 đồng"),
		"doi-bo.md":    levelSheet("doi-bo", "2.000123", "Cấp đổi thẻ căn cước", "Cấp bộ", "50.000 đồng"),
		"khai-sinh.md": levelSheet("khai-sinh", "1.001193", "Đăng ký khai sinh", "Cấp xã", "miễn lệ phí"),
	}
	for name, content := range extra {
		sheets[name] = content
	}
	for name, content := range sheets {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, s := freshStore(t, dir)
	return New(Config{Searcher: s, DB: db, Generator: gen, Logger: testLogger(t)})
}

// mentionsLevel reports whether an answer names a variant by its code and page.
func mentionsLevel(answer, id, code string) bool {
	return strings.Contains(answer, "mã "+code) && strings.Contains(answer, "<https://dichvucong.gov.vn/"+id+">")
}

func TestLevelVariantsAreAnsweredNotClarified(t *testing.T) {
	svc := levelStore(t, nil, nil)
	codes := map[string]string{"doi-xa": "1.014063", "doi-tinh": "1.001234", "doi-bo": "2.000123"}
	tests := []struct {
		q, want, fee string
	}{
		{"cấp đổi thẻ căn cước hết bao nhiêu tiền", "doi-xa", "30.000 đồng"},
		{"cap doi the can cuoc het bao nhieu tien", "doi-xa", "30.000 đồng"},
		{"cấp đổi thẻ căn cước ở cấp tỉnh hết bao nhiêu tiền", "doi-tinh", "40.000 đồng"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			resp := ask(t, svc, Request{Message: tt.q})
			if resp.Status != StatusAnswered || resp.Procedure.ID != tt.want {
				t.Fatalf("%s %s, want answered from %s:\n%s", resp.Status, describe(resp), tt.want, resp.Answer)
			}
			if !strings.Contains(resp.Answer, tt.fee) {
				t.Errorf("answer lacks the fee %s:\n%s", tt.fee, resp.Answer)
			}
			checkGrounded(t, svc.cfg.DB, resp)
			line := lineWith(resp.Answer, "Thủ tục này cũng có ở cấp khác:")
			for id, code := range codes {
				if named := mentionsLevel(line, id, code); named != (id != tt.want) {
					t.Errorf("%s named in the other levels: %v, want %v:\n%s", id, named, id != tt.want, resp.Answer)
				}
			}
			if foot := strings.Index(resp.Answer, "_Nguồn:"); foot < strings.Index(resp.Answer, line) {
				t.Errorf("the other levels are not just before the footer:\n%s", resp.Answer)
			}
			// A follow-up names them too, when its own search finds them.
			next := ask(t, svc, Request{Message: "thời hạn cấp đổi thẻ căn cước thì sao?", ConversationID: resp.ConversationID})
			if next.Status != StatusAnswered || next.Procedure.ID != tt.want || !strings.Contains(next.Answer, "7 ngày") {
				t.Fatalf("follow-up: %s %s:\n%s", next.Status, describe(next), next.Answer)
			}
			if l := lineWith(next.Answer, "Thủ tục này cũng có ở cấp khác:"); l == "" || strings.Contains(l, "/"+tt.want+">") {
				t.Errorf("follow-up does not name the other levels:\n%s", next.Answer)
			}
		})
	}
	// A procedure with no other level gets no such line.
	resp := ask(t, svc, Request{Message: "đăng ký khai sinh hết bao nhiêu tiền"})
	if resp.Status != StatusAnswered || resp.Procedure.ID != "khai-sinh" {
		t.Fatalf("%s %s", resp.Status, describe(resp))
	}
	if strings.Contains(resp.Answer, "cấp khác") {
		t.Errorf("a procedure without variants names other levels:\n%s", resp.Answer)
	}
}

// lineWith returns the line of text that contains s, or "".
func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestLLMAnswerNamesOtherLevels(t *testing.T) {
	sc := func(prompt string) ([]string, time.Duration) {
		return split(fmt.Sprintf("Lệ phí nộp trực tiếp là 30.000 đồng [%d].", sourceWith(prompt, "30.000"))), time.Millisecond
	}
	for provider, p := range providers(t, sc, 10*time.Second) {
		t.Run(provider, func(t *testing.T) {
			svc := levelStore(t, p.gen, nil)
			var streamed strings.Builder
			resp, err := svc.Answer(context.Background(), Request{Message: "cấp đổi thẻ căn cước hết bao nhiêu tiền"}, func(ev Event) error {
				if d, ok := ev.Data.(Delta); ok {
					streamed.WriteString(d.Text)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Generator != p.gen.Name() || resp.Procedure == nil || resp.Procedure.ID != "doi-xa" {
				t.Fatalf("generator %s, procedure %s:\n%s", resp.Generator, describe(resp), resp.Answer)
			}
			line := lineWith(resp.Answer, levelsLead)
			if !strings.HasSuffix(resp.Answer, "\n\n"+line) || !mentionsLevel(line, "doi-tinh", "1.001234") ||
				!mentionsLevel(line, "doi-bo", "2.000123") {
				t.Errorf("the model's answer should end with the other levels:\n%s", resp.Answer)
			}
			if streamed.String() != resp.Answer {
				t.Errorf("streamed %q, answer %q", streamed.String(), resp.Answer)
			}
		})
	}
}

func TestFollowUpNamingAnotherLevel(t *testing.T) {
	svc := levelStore(t, nil, nil)
	codes := map[string]string{"doi-xa": "1.014063", "doi-tinh": "1.001234", "doi-bo": "2.000123"}
	fees := map[string]string{"doi-xa": "30.000 đồng", "doi-tinh": "40.000 đồng", "doi-bo": "50.000 đồng"}
	first := ask(t, svc, Request{Message: "cấp đổi thẻ căn cước hết bao nhiêu tiền"})
	if first.Status != StatusAnswered || first.Procedure.ID != "doi-xa" {
		t.Fatalf("%s %s, want answered from doi-xa:\n%s", first.Status, describe(first), first.Answer)
	}
	conv := first.ConversationID
	for _, tt := range []struct{ q, want string }{
		{"thế ở cấp tỉnh thì sao?", "doi-tinh"},
		{"còn cấp bộ?", "doi-bo"},
		{"thời hạn ở cấp tỉnh bao lâu", "doi-tinh"}, // already there: stays
	} {
		resp := ask(t, svc, Request{Message: tt.q, ConversationID: conv})
		if resp.Status != StatusAnswered || resp.Procedure.ID != tt.want {
			t.Fatalf("%q: %s %s, want answered from %s:\n%s", tt.q, resp.Status, describe(resp), tt.want, resp.Answer)
		}
		if tt.q == "thời hạn ở cấp tỉnh bao lâu" {
			if !strings.Contains(resp.Answer, "7 ngày") {
				t.Errorf("%q: answer lacks the deadline:\n%s", tt.q, resp.Answer)
			}
		} else if !contains(resp.Intents, IntentFees) || !strings.Contains(resp.Answer, fees[tt.want]) {
			// The fee question is asked again of the other level.
			t.Errorf("%q: intents %v, want the fee %s:\n%s", tt.q, resp.Intents, fees[tt.want], resp.Answer)
		}
		checkGrounded(t, svc.cfg.DB, resp)
		// The level asked about is answered: it is no case the sources say nothing of.
		if strings.Contains(resp.Answer, "trường hợp bạn hỏi") {
			t.Errorf("%q: the level is taken for a case:\n%s", tt.q, resp.Answer)
		}
		line := lineWith(resp.Answer, levelsLead)
		for id, code := range codes {
			if named := mentionsLevel(line, id, code); named != (id != tt.want) {
				t.Errorf("%q: %s named in the other levels: %v, want %v:\n%s", tt.q, id, named, id != tt.want, resp.Answer)
			}
		}
	}
}

func TestFollowUpNamingALevelWithoutVariant(t *testing.T) {
	svc := levelStore(t, nil, nil)
	first := ask(t, svc, Request{Message: "đăng ký khai sinh hết bao nhiêu tiền"})
	if first.Status != StatusAnswered || first.Procedure.ID != "khai-sinh" {
		t.Fatalf("%s %s", first.Status, describe(first))
	}
	resp := ask(t, svc, Request{Message: "ở cấp tỉnh thì sao", ConversationID: first.ConversationID})
	if resp.Status != StatusAnswered || resp.Procedure.ID != "khai-sinh" {
		t.Fatalf("%s %s, want to stay on khai-sinh:\n%s", resp.Status, describe(resp), resp.Answer)
	}
	if !strings.Contains(resp.Answer, "miễn lệ phí") || strings.Contains(resp.Answer, "cấp khác") {
		t.Errorf("want the fee of khai-sinh and no other levels:\n%s", resp.Answer)
	}
}

func TestOtherLevel(t *testing.T) {
	const doi, lai = "Cấp đổi thẻ căn cước", "Cấp lại thẻ căn cước"
	cands := []thutuc.SearchResult{
		levelCand("lai-tinh", lai, "Cấp tỉnh", 1.0),
		levelCand("doi-tinh-2", doi, "Cấp tỉnh", 0.96),
		levelCand("doi-tinh", doi, "Cấp tỉnh, Cấp xã", 0.97),
		levelCand("doi-bo", doi, "Cấp bộ", 0.95),
	}
	cur := levelCand("doi-xa", doi, "Cấp xã", 0)
	tests := []struct {
		named []string
		cur   thutuc.SearchResult
		want  string
	}{
		{[]string{"tinh"}, cur, "doi-tinh"}, // retrieval's best at that level, not another procedure
		{[]string{"xa"}, cur, ""},           // already there
		{[]string{"xa", "bo"}, cur, "doi-bo"},
		{[]string{"tinh"}, cands[2], ""}, // at both levels: stays
		{[]string{"bo"}, levelCand("khai-sinh", "Đăng ký khai sinh", "Cấp xã", 0), ""},
	}
	for _, tt := range tests {
		got := ""
		if c := otherLevel(tt.named, tt.cur, cands); c != nil {
			got = c.DocumentID
		}
		if got != tt.want {
			t.Errorf("otherLevel(%v) of %s = %q, want %q", tt.named, tt.cur.DocumentID, got, tt.want)
		}
	}
}

// Over a large corpus a follow-up as short as "thế ở cấp tỉnh thì sao?" finds other procedures
// at that level, not the one being discussed: the chat searches again with its title.
func TestFollowUpNamingAnotherLevelSearchesAgain(t *testing.T) {
	extra := map[string]string{}
	for i := range 12 {
		id := fmt.Sprintf("tinh-%02d", i)
		extra[id+".md"] = levelSheet(id, fmt.Sprintf("1.9000%02d", i), fmt.Sprintf("Thủ tục thứ %d thực hiện ở cấp tỉnh", i), "Cấp tỉnh", "10.000 đồng")
	}
	svc := levelStore(t, nil, extra)
	first := ask(t, svc, Request{Message: "cấp đổi thẻ căn cước hết bao nhiêu tiền"})
	if first.Status != StatusAnswered || first.Procedure.ID != "doi-xa" {
		t.Fatalf("%s %s, want answered from doi-xa", first.Status, describe(first))
	}
	if resp, err := svc.cfg.Searcher.Search(context.Background(), retrieval.Query{Text: "thế ở cấp tỉnh thì sao?", K: 10}); err != nil {
		t.Fatal(err)
	} else {
		for _, c := range resp.Results {
			if c.DocumentID == "doi-tinh" {
				t.Fatal("the follow-up's own search finds doi-tinh: this test would not exercise the second search")
			}
		}
	}
	resp := ask(t, svc, Request{Message: "thế ở cấp tỉnh thì sao?", ConversationID: first.ConversationID})
	if resp.Status != StatusAnswered || resp.Procedure.ID != "doi-tinh" || !strings.Contains(resp.Answer, "40.000 đồng") {
		t.Fatalf("%s %s, want the fee of doi-tinh:\n%s", resp.Status, describe(resp), resp.Answer)
	}
}

func TestOnlyLevel(t *testing.T) {
	res := &resolve.Resolution{Candidates: []resolve.Candidate{{Name: postgres.DocumentName{Title: "Cấp đổi thẻ căn cước"}}}}
	tests := []struct {
		msg  string
		want bool
	}{
		{"thế ở cấp tỉnh thì sao?", true},
		{"còn cấp tỉnh?", true},
		{"cấp đổi thẻ căn cước ở tỉnh thì bao lâu", true},
		{"thế cấp tỉnh đăng ký kết hôn thì sao?", false}, // names another procedure
		{"nộp online được không?", false},                // names no level
	}
	for _, tt := range tests {
		if got := onlyLevel(tt.msg, res); got != tt.want {
			t.Errorf("onlyLevel(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
	if onlyLevel("còn cấp tỉnh?", &resolve.Resolution{}) {
		t.Error("onlyLevel with no candidate = true")
	}
}
