package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/thutuc/thutuc"
)

// Conversation is the state of one chat conversation.
type Conversation struct {
	ID          string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ExpiresAt   time.Time
	Locality    string
	Audience    string
	ProcedureID string          // the procedure follow-up questions are about, "" when none
	LastIntents []string        // intents of the last answered question
	Pending     json.RawMessage // the clarification awaited, nil when none (opaque to the store)
	// SecretHash is the SHA-256 of the secret that continues the conversation, set when it
	// is created and never changed; nil for conversations from before secrets.
	SecretHash []byte
}

// Message is one user message or assistant answer.
type Message struct {
	ID             string
	ConversationID string
	Role           string // user | assistant
	Text           string
	Status         string
	Intents        []string
	ProcedureID    string
	Citations      json.RawMessage // JSON array, opaque to the store
	Generator      string
	CreatedAt      time.Time
}

// Message roles.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Conversation returns the live conversation id, or ENOTFOUND when there is none or it has
// expired.
func (db *DB) Conversation(ctx context.Context, id string) (*Conversation, error) {
	var c Conversation
	var pending []byte
	err := db.pool.QueryRow(ctx, `select id, created_at, updated_at, expires_at, locality, audience, procedure_id,
			last_intents, pending, secret_hash
		from conversations where id = $1 and expires_at > now()`, id).Scan(&c.ID, &c.CreatedAt, &c.UpdatedAt,
		&c.ExpiresAt, &c.Locality, &c.Audience, &c.ProcedureID, &c.LastIntents, &pending, &c.SecretHash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy cuộc trò chuyện (có thể đã hết hạn lưu).")
	} else if err != nil {
		return nil, wrap("get conversation", err)
	}
	if len(pending) > 0 {
		c.Pending = pending
	}
	return &c, nil
}

// SaveTurn stores one turn in a single transaction: the conversation's new state (created when
// it does not exist yet, its expiry moved to now + retention) and the turn's messages. Either
// all of it is stored or none.
func (db *DB) SaveTurn(ctx context.Context, c *Conversation, retention time.Duration, msgs ...Message) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return wrap("save chat turn", err)
	}
	defer tx.Rollback(ctx)
	if err := saveConversation(ctx, tx, c, retention); err != nil {
		return wrap("save chat turn", err)
	}
	for _, m := range msgs {
		if err := insertMessage(ctx, tx, c.ID, m); err != nil {
			return wrap("save chat turn", err)
		}
	}
	return wrap("save chat turn", tx.Commit(ctx))
}

func saveConversation(ctx context.Context, tx pgx.Tx, c *Conversation, retention time.Duration) error {
	var pending any
	if len(c.Pending) > 0 {
		pending = []byte(c.Pending)
	}
	intents := c.LastIntents
	if intents == nil {
		intents = []string{}
	}
	err := tx.QueryRow(ctx, `insert into conversations
			(id, expires_at, locality, audience, procedure_id, last_intents, pending, secret_hash)
		values ($1, now() + $2::float8 * interval '1 second', $3, $4, $5, $6, $7, $8)
		on conflict (id) do update set updated_at = now(), expires_at = excluded.expires_at,
			locality = excluded.locality, audience = excluded.audience, procedure_id = excluded.procedure_id,
			last_intents = excluded.last_intents, pending = excluded.pending
		returning created_at, updated_at, expires_at`,
		c.ID, retention.Seconds(), c.Locality, c.Audience, c.ProcedureID, intents, pending, c.SecretHash).
		Scan(&c.CreatedAt, &c.UpdatedAt, &c.ExpiresAt)
	if err != nil {
		return fmt.Errorf("upsert conversation: %w", err)
	}
	return nil
}

func insertMessage(ctx context.Context, tx pgx.Tx, conversationID string, m Message) error {
	cites := []byte(m.Citations)
	if len(cites) == 0 {
		cites = []byte("[]")
	}
	intents := m.Intents
	if intents == nil {
		intents = []string{}
	}
	_, err := tx.Exec(ctx, `insert into messages
			(id, conversation_id, role, text, status, intents, procedure_id, citations, generator)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.ID, conversationID, m.Role, m.Text, m.Status, intents, m.ProcedureID, cites, m.Generator)
	if err != nil {
		return fmt.Errorf("insert %s message: %w", m.Role, err)
	}
	return nil
}

// Messages returns the last limit messages of a conversation, oldest first.
func (db *DB) Messages(ctx context.Context, conversationID string, limit int) ([]Message, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := db.pool.Query(ctx, `select * from (
			select id, conversation_id, role, text, status, intents, procedure_id, citations, generator, created_at, seq
			from messages where conversation_id = $1 order by seq desc limit $2
		) m order by seq`, conversationID, limit)
	if err != nil {
		return nil, wrap("list messages", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) {
		var m Message
		var seq int64
		err := r.Scan(&m.ID, &m.ConversationID, &m.Role, &m.Text, &m.Status, &m.Intents, &m.ProcedureID,
			&m.Citations, &m.Generator, &m.CreatedAt, &seq)
		return m, err
	})
	return out, wrap("list messages", err)
}

// MessageFeedback is a user's judgement of one answer.
type MessageFeedback struct {
	ConversationID string // the message must belong to it
	MessageID      string
	Helpful        bool
	Comment        string
	Reason         string // why not helpful: one of the reasons the service knows, or ""
}

// SaveFeedback stores the judgement of an answer, replacing an earlier one. It returns
// ENOTFOUND when no assistant message has that id (in that conversation).
func (db *DB) SaveFeedback(ctx context.Context, f MessageFeedback) error {
	tag, err := db.pool.Exec(ctx, `insert into feedback (message_id, helpful, comment, reason)
		select m.id, $3, $4, $5 from messages m
		where m.id = $1 and m.role = 'assistant' and m.conversation_id = $2
		on conflict (message_id) do update set helpful = excluded.helpful, comment = excluded.comment,
			reason = excluded.reason, created_at = now()`, f.MessageID, f.ConversationID, f.Helpful, f.Comment, f.Reason)
	if err != nil {
		return wrap("save feedback", err)
	}
	if tag.RowsAffected() == 0 {
		return thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy câu trả lời %q để ghi nhận đánh giá.", f.MessageID)
	}
	return nil
}

// ChatStats counts answers by status and the feedback of answers per procedure.
type ChatStats struct {
	Statuses   map[string]int
	Procedures []ProcedureFeedback
	Reasons    map[string]int // answers judged not helpful, by the reason given ("" none)
}

// ProcedureFeedback is the answers about one procedure and their feedback.
type ProcedureFeedback struct {
	ID       string
	Title    string // "" when the document is no longer stored
	Answers  int
	Feedback int
	Helpful  int
}

// ChatStats returns the counts over all stored (unexpired and expired but not yet purged)
// conversations.
func (db *DB) ChatStats(ctx context.Context) (*ChatStats, error) {
	st := &ChatStats{Statuses: map[string]int{}, Reasons: map[string]int{}}
	rows, err := db.pool.Query(ctx, `select status, count(*) from messages where role = 'assistant' group by status`)
	if err != nil {
		return nil, wrap("count answers by status", err)
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return nil, wrap("count answers by status", err)
		}
		st.Statuses[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("count answers by status", err)
	}
	rows, err = db.pool.Query(ctx, `select reason, count(*) from feedback where not helpful group by reason`)
	if err != nil {
		return nil, wrap("count feedback by reason", err)
	}
	for rows.Next() {
		var r string
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			rows.Close()
			return nil, wrap("count feedback by reason", err)
		}
		st.Reasons[r] = n
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("count feedback by reason", err)
	}
	rows, err = db.pool.Query(ctx, `select m.procedure_id, coalesce(d.title, ''), count(*),
			count(f.message_id), count(*) filter (where f.helpful)
		from messages m
		left join feedback f on f.message_id = m.id
		left join documents d on d.id = m.procedure_id
		where m.role = 'assistant' and m.procedure_id <> '' and m.status = 'answered'
		group by 1, 2 order by 3 desc, 1`)
	if err != nil {
		return nil, wrap("count feedback by procedure", err)
	}
	st.Procedures, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProcedureFeedback, error) {
		var p ProcedureFeedback
		err := r.Scan(&p.ID, &p.Title, &p.Answers, &p.Feedback, &p.Helpful)
		return p, err
	})
	if err != nil {
		return nil, wrap("count feedback by procedure", err)
	}
	return st, nil
}

// PurgeConversations deletes the conversations that expired before now, with their messages
// and feedback, and returns how many were deleted.
func (db *DB) PurgeConversations(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, `delete from conversations where expires_at <= now()`)
	if err != nil {
		return 0, wrap("purge expired conversations", err)
	}
	return tag.RowsAffected(), nil
}

// DocumentName is how a document is named: its title and the everyday names (aliases) people
// use for it. The chat matches questions against them to pick the procedure meant.
type DocumentName struct {
	ID      string
	Kind    string
	Code    string
	Title   string
	Aliases []string
	Level   string // e.g. "Cấp tỉnh, Cấp xã"
}

// DocumentNames returns the names of the given documents, by id (unknown ids are left out).
func (db *DB) DocumentNames(ctx context.Context, ids []string) (map[string]DocumentName, error) {
	rows, err := db.pool.Query(ctx, `select id, kind, code, title, aliases, level from documents where id = any($1)`, nonNil(ids))
	if err != nil {
		return nil, wrap("load document names", err)
	}
	names, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DocumentName, error) {
		var d DocumentName
		err := r.Scan(&d.ID, &d.Kind, &d.Code, &d.Title, &d.Aliases, &d.Level)
		return d, err
	})
	if err != nil {
		return nil, wrap("load document names", err)
	}
	out := make(map[string]DocumentName, len(names))
	for _, d := range names {
		out[d.ID] = d
	}
	return out, nil
}
