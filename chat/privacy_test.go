package chat

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/redact"
)

// Personal data in a message or a feedback comment is stored and logged only as placeholders,
// conversation and message ids are logged only as stand-ins, and the answer still finds what
// the message asks about.
func TestPersonalDataIsNotKept(t *testing.T) {
	db, searcher := freshStore(t, "../corpus/procedures/cap-ho-chieu-pho-thong.md", "../corpus/procedures/dang-ky-ket-hon.md")
	var logs bytes.Buffer
	svc := New(Config{Searcher: searcher, DB: db, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ctx := context.Background()
	secrets := []string{"001203004567", "0912345678", "C1234567", "an.nguyen@gmail.com", "0901 234 567"}
	resp := ask(t, svc, Request{Message: "Tôi mất hộ chiếu số C1234567, CCCD 001203004567, làm lại hộ chiếu cần giấy tờ gì? Gọi tôi 0912345678 hoặc an.nguyen@gmail.com"})
	if resp.Procedure == nil || resp.Procedure.ID != "cap-ho-chieu-pho-thong" {
		t.Errorf("answered %+v (%s), want the passport procedure", resp.Procedure, resp.Status)
	}
	follow := ask(t, svc, Request{Message: "lệ phí bao nhiêu? sdt 0901 234 567", ConversationID: resp.ConversationID})
	yes := true
	if err := svc.Feedback(ctx, Feedback{ConversationID: resp.ConversationID, MessageID: follow.MessageID, Helpful: &yes,
		Comment: "Cảm ơn, gọi lại cho tôi 0912345678, CCCD 001203004567"}); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.Pool().QueryRow(ctx, `select concat_ws(' | ',
			(select string_agg(text, ' | ') from messages),
			(select string_agg(coalesce(pending::text, ''), ' | ') from conversations),
			(select string_agg(comment, ' | ') from feedback))`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(stored, s) {
			t.Errorf("the store keeps %q", s)
		}
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log has %q", s)
		}
	}
	for _, p := range []string{redact.CCCD, redact.Phone, redact.Passport, redact.Email} {
		if !strings.Contains(stored, p) {
			t.Errorf("the store lacks the placeholder %s: %s", p, stored)
		}
	}
	for _, id := range []string{resp.ConversationID, resp.MessageID, follow.MessageID} {
		if strings.Contains(logs.String(), id) {
			t.Errorf("the log has the id %s in clear", id)
		}
	}
	if !strings.Contains(logs.String(), redact.ID(resp.ConversationID)) {
		t.Errorf("the log lacks the conversation's stand-in:\n%s", logs.String())
	}
}
