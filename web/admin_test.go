package web_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/web"
)

// seedDay answers a day of traffic: questions answered, some with no source, and judgements,
// one with a comment that carries a phone number.
func seedDay(t *testing.T, svc *chat.Service) {
	t.Helper()
	ctx := context.Background()
	yes, no := true, false
	for i, q := range []struct {
		text    string
		helpful *bool
		comment string
		reason  string
	}{
		{"làm hộ chiếu cần giấy tờ gì", &yes, "", ""},
		{"lệ phí làm hộ chiếu bao nhiêu", &no, "thiếu phí nộp online, gọi tôi 0912345678", "thieu-thong-tin"},
		{"đăng ký kết hôn ở đâu", &yes, "", ""},
		{"đăng ký kết hôn cần gì", &no, "không nói rõ cần bản sao hay bản chính", ""},
		{"thủ tục xin học bổng du học", nil, "", ""},
		{"thủ tục xin học bổng du học", nil, "", ""},
		{"đăng ký cho con vào lớp 1", nil, "", ""},
		{"làm thẻ căn cước cho con", &yes, "", ""},
	} {
		resp, err := svc.Answer(ctx, chat.Request{Message: q.text}, nil)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if q.helpful != nil {
			if err := svc.Feedback(ctx, chat.Feedback{ConversationID: resp.ConversationID, MessageID: resp.MessageID, Helpful: q.helpful, Comment: q.comment, Reason: q.reason}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The console exists only with a token, answers 401 without it, and shows the seeded day:
// the questions without a source, grouped and counted, the unhelpful answers with their
// comments (redacted), satisfaction and the most asked procedures; its CSV has the same.
func TestAdminConsole(t *testing.T) {
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	svc := chat.New(chat.Config{Searcher: searcher, DB: db})
	seedDay(t, svc)
	if w := do(t, web.New(web.Config{ChatPerMinute: -1}, db, searcher, svc, nil), "GET", "/admin", "", nil); w.Code != 404 {
		t.Errorf("/admin without a configured token: %d, want 404", w.Code)
	}
	srv := web.New(web.Config{ChatPerMinute: -1, AdminToken: "s3cret-token"}, db, searcher, svc, nil)
	basic := func(user, pw string) map[string]string {
		return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pw))}
	}
	for name, h := range map[string]map[string]string{"none": nil, "wrong": basic("admin", "nope"), "bearer wrong": {"Authorization": "Bearer nope"}} {
		if w := do(t, srv, "GET", "/admin", "", h); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %q, want 401 with a challenge", name, w.Code, w.Header().Get("WWW-Authenticate"))
		}
	}
	if w := do(t, srv, "GET", "/admin/export.csv", "", nil); w.Code != 401 {
		t.Errorf("export without the token: %d", w.Code)
	}
	w := do(t, srv, "GET", "/admin", "", basic("ai-cung-duoc", "s3cret-token"))
	if w.Code != 200 {
		t.Fatalf("/admin: %d %s", w.Code, w.Body.String())
	}
	page := w.Body.String()
	for _, want := range []string{
		"thủ tục xin học bổng du học</td><td class=\"num\">2</td>",
		"đăng ký cho con vào lớp 1",
		"thiếu phí nộp online, gọi tôi [số điện thoại]",
		"Lý do: Thiếu thông tin",
		"không nói rõ cần bản sao hay bản chính",
		"<svg class=\"chart\"",
		"Mức độ hài lòng: <strong>60%</strong>",
		"Cấp hộ chiếu phổ thông",
		": 50% (2)</span>", // the passport's week: one helpful of two
	} {
		if !strings.Contains(page, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if strings.Contains(page, "0912345678") {
		t.Error("console shows a phone number")
	}
	w = do(t, srv, "GET", "/admin/export.csv?days=7", "", map[string]string{"Authorization": "Bearer s3cret-token"})
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	csv := w.Body.String()
	for _, want := range []string{"loại,thủ tục,câu hỏi,số lần,góp ý", "không có nguồn,,thủ tục xin học bổng du học,2,", "không hữu ích,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("export lacks %q:\n%s", want, csv)
		}
	}
}
