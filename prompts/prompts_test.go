package prompts

import (
	"strings"
	"testing"
)

func TestSystemPromptIsVietnameseAndStatesTheRules(t *testing.T) {
	s, err := System()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"thủ tục hành chính", "[n]", "Không bao giờ nhắc lại"} {
		if !strings.Contains(s, want) {
			t.Errorf("system prompt lacks %q", want)
		}
	}
}

func TestAnswerPromptRendersSourcesAndAudience(t *testing.T) {
	tests := []struct {
		audience string
		want     string
	}{
		{"citizen", "người dân"},
		{"coach", "- [ ]"},
		{"officer", "căn cứ pháp lý đến từng điều"},
	}
	for _, tt := range tests {
		t.Run(tt.audience, func(t *testing.T) {
			p, err := Answer(AnswerData{
				Question:  "Làm hộ chiếu hết bao nhiêu tiền?",
				Procedure: "Cấp hộ chiếu phổ thông ở trong nước",
				Code:      "1.001456",
				Audience:  tt.audience,
				Intents:   []string{"fees", "deadline"},
				Sources: []Source{
					{N: 1, Label: "Phí, lệ phí", Quote: "**Trực tiếp**: 200.000 đồng/hộ chiếu"},
					{N: 2, Label: "Thời hạn giải quyết", Quote: "**Trực tiếp**: 8 ngày làm việc."},
				},
				SourceURL: "https://dichvucong.gov.vn/x",
				AsOf:      "01/07/2025",
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				"[1] Phí, lệ phí: «**Trực tiếp**: 200.000 đồng/hộ chiếu»",
				"[2] Thời hạn giải quyết: «**Trực tiếp**: 8 ngày làm việc.»",
				"Làm hộ chiếu hết bao nhiêu tiền?", "mã 1.001456", "fees, deadline", tt.want,
				"https://dichvucong.gov.vn/x", "01/07/2025",
			} {
				if !strings.Contains(p, want) {
					t.Errorf("answer prompt lacks %q:\n%s", want, p)
				}
			}
		})
	}
}

func TestAnswerPromptNeedsSources(t *testing.T) {
	if _, err := Answer(AnswerData{Question: "x"}); err == nil {
		t.Fatal("no error without sources")
	}
}

func TestRewritePromptRendersHistory(t *testing.T) {
	p, err := Rewrite(RewriteData{
		Procedure: "Cấp hộ chiếu phổ thông ở trong nước",
		History:   []Turn{{Role: "user", Text: "làm hộ chiếu cần gì"}, {Role: "assistant", Text: "Cần tờ khai TK01 [1]"}},
		Message:   "còn lệ phí thì sao?",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Người dùng: làm hộ chiếu cần gì", "Trợ lý: Cần tờ khai TK01 [1]", "còn lệ phí thì sao?",
		"Thủ tục đang được nói đến: Cấp hộ chiếu phổ thông ở trong nước", "Câu hỏi đầy đủ:"} {
		if !strings.Contains(p, want) {
			t.Errorf("rewrite prompt lacks %q:\n%s", want, p)
		}
	}
}
