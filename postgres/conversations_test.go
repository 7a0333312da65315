package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

func TestConversationTurns(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	if _, err := db.Conversation(ctx, "c1"); thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
		t.Fatalf("unknown conversation: %v", err)
	}
	c := &postgres.Conversation{ID: "c1", Audience: "coach", Locality: "ha-noi", ProcedureID: "dang-ky-khai-sinh",
		LastIntents: []string{"fees"}, Pending: json.RawMessage(`{"question":"x","candidates":[{"id":"a"}]}`)}
	user := postgres.Message{ID: "m1", Role: postgres.RoleUser, Text: "làm khai sinh hết bao nhiêu tiền", Intents: []string{"fees"}}
	answer := postgres.Message{ID: "m2", Role: postgres.RoleAssistant, Text: "Miễn lệ phí [1]", Status: "answered",
		Intents: []string{"fees"}, ProcedureID: "dang-ky-khai-sinh", Citations: json.RawMessage(`[{"n":1}]`), Generator: "extractive"}
	if err := db.SaveTurn(ctx, c, time.Hour, user, answer); err != nil {
		t.Fatal(err)
	}
	if c.CreatedAt.IsZero() || c.ExpiresAt.Sub(c.UpdatedAt) < 59*time.Minute {
		t.Errorf("timestamps not filled: %+v", c)
	}
	got, err := db.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Audience != "coach" || got.Locality != "ha-noi" || got.ProcedureID != "dang-ky-khai-sinh" ||
		len(got.LastIntents) != 1 || !json.Valid(got.Pending) {
		t.Errorf("conversation %+v", got)
	}
	// The next turn clears the pending clarification and moves the expiry.
	c.Pending, c.ProcedureID = nil, "dang-ky-ket-hon"
	if err := db.SaveTurn(ctx, c, 2*time.Hour, postgres.Message{ID: "m3", Role: postgres.RoleUser, Text: "2"},
		postgres.Message{ID: "m4", Role: postgres.RoleAssistant, Text: "…", Status: "answered", ProcedureID: "dang-ky-ket-hon"}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Conversation(ctx, "c1")
	if got.Pending != nil || got.ProcedureID != "dang-ky-ket-hon" || got.ExpiresAt.Sub(got.UpdatedAt) < 119*time.Minute {
		t.Errorf("after second turn: %+v", got)
	}
	msgs, err := db.Messages(ctx, "c1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[0].ID != "m2" || msgs[2].ID != "m4" || string(msgs[0].Citations) != `[{"n": 1}]` {
		t.Errorf("last 3 messages: %+v", msgs)
	}
	// A failing turn stores nothing: the duplicate message id aborts the transaction.
	err = db.SaveTurn(ctx, &postgres.Conversation{ID: "c2", Audience: "citizen"}, time.Hour,
		postgres.Message{ID: "m5", Role: postgres.RoleUser, Text: "a"}, postgres.Message{ID: "m5", Role: postgres.RoleAssistant, Text: "b"})
	if err == nil {
		t.Fatal("duplicate message id accepted")
	}
	if _, err := db.Conversation(ctx, "c2"); thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
		t.Errorf("half-stored turn: %v", err)
	}
}

func TestFeedbackStatsAndPurge(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	turn := func(conv, id, procedure, status string, retention time.Duration) {
		t.Helper()
		err := db.SaveTurn(ctx, &postgres.Conversation{ID: conv, Audience: "citizen", ProcedureID: procedure}, retention,
			postgres.Message{ID: id + "-q", Role: postgres.RoleUser, Text: "?"},
			postgres.Message{ID: id, Role: postgres.RoleAssistant, Text: "!", Status: status, ProcedureID: procedure})
		if err != nil {
			t.Fatal(err)
		}
	}
	turn("a", "a1", "p1", "answered", time.Hour)
	turn("a", "a2", "p1", "answered", time.Hour)
	turn("b", "b1", "p2", "answered", time.Hour)
	turn("b", "b2", "", "declined", time.Hour)
	turn("old", "o1", "p2", "answered", time.Millisecond)

	for _, f := range []postgres.MessageFeedback{
		{ConversationID: "a", MessageID: "a1", Helpful: false, Comment: "thiếu"},
		{ConversationID: "a", MessageID: "a1", Helpful: true}, // replaces
		{ConversationID: "a", MessageID: "a2", Helpful: true},
		{ConversationID: "b", MessageID: "b1", Helpful: false},
	} {
		if err := db.SaveFeedback(ctx, f); err != nil {
			t.Fatalf("SaveFeedback(%+v): %v", f, err)
		}
	}
	for _, f := range []postgres.MessageFeedback{
		{ConversationID: "a", MessageID: "nope", Helpful: true},
		{ConversationID: "a", MessageID: "a1-q", Helpful: true}, // a user message
		{ConversationID: "b", MessageID: "a1", Helpful: true},   // another conversation
		{MessageID: "a1", Helpful: true},                        // no conversation
	} {
		if err := db.SaveFeedback(ctx, f); thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
			t.Errorf("SaveFeedback(%+v) = %v, want not found", f, err)
		}
	}
	st, err := db.ChatStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Statuses["answered"] != 4 || st.Statuses["declined"] != 1 {
		t.Errorf("statuses %v", st.Statuses)
	}
	want := map[string]postgres.ProcedureFeedback{
		"p1": {ID: "p1", Answers: 2, Feedback: 2, Helpful: 2},
		"p2": {ID: "p2", Answers: 2, Feedback: 1, Helpful: 0},
	}
	for _, p := range st.Procedures {
		if p != want[p.ID] {
			t.Errorf("procedure %+v, want %+v", p, want[p.ID])
		}
	}
	time.Sleep(10 * time.Millisecond)
	if _, err := db.Conversation(ctx, "old"); thutuc.ErrorCode(err) != thutuc.ENOTFOUND {
		t.Errorf("expired conversation still readable: %v", err)
	}
	n, err := db.PurgeConversations(ctx)
	if err != nil || n != 1 {
		t.Fatalf("PurgeConversations = %d, %v", n, err)
	}
	st, _ = db.ChatStats(ctx)
	if st.Statuses["answered"] != 3 {
		t.Errorf("after purge: %v", st.Statuses)
	}
}

func TestDocumentNames(t *testing.T) {
	db := pgtest.MustOpen(t)
	ctx := context.Background()
	doc := &thutuc.Document{ID: "cap-ho-chieu", Kind: thutuc.KindProcedure, Code: "1.001456", Title: "Cấp hộ chiếu",
		Aliases: []string{"làm passport"}, SourceURL: "https://example.org", ContentHash: "h", Body: "x"}
	if err := db.ReplaceDocument(ctx, doc, nil); err != nil {
		t.Fatal(err)
	}
	names, err := db.DocumentNames(ctx, []string{"cap-ho-chieu", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	n, ok := names["cap-ho-chieu"]
	if len(names) != 1 || !ok || n.Title != "Cấp hộ chiếu" || n.Code != "1.001456" || len(n.Aliases) != 1 || n.Kind != "procedure" {
		t.Errorf("names %+v", names)
	}
}
