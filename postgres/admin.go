package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// What the content team reads of the stored conversations (their texts were redacted before
// they were stored). Each user message is paired with the answer that followed it.

// turnPairs pairs every assistant message with the user message before it in its
// conversation.
const turnPairs = `select a.id, a.status, a.procedure_id, a.created_at, u.text as question
	from messages a
	join lateral (select text from messages u where u.conversation_id = a.conversation_id and u.role = 'user'
		and u.seq < a.seq order by u.seq desc limit 1) u on true
	where a.role = 'assistant' and a.created_at >= $1`

// UnansweredQuestion is a question answered "no source", with how often it was asked.
type UnansweredQuestion struct {
	Text     string
	Count    int
	LastSeen time.Time
}

// Unanswered returns the questions answered "no source" since a time, grouped by their text
// (case and outer spaces aside), most frequent first.
func (db *DB) Unanswered(ctx context.Context, since time.Time, limit int) ([]UnansweredQuestion, error) {
	rows, err := db.pool.Query(ctx, `select min(question), count(*), max(created_at) from (`+turnPairs+`) t
		where status = 'no_answer' group by lower(btrim(question)) order by 2 desc, 3 desc limit $2`, since, limit)
	if err != nil {
		return nil, wrap("list unanswered questions", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (UnansweredQuestion, error) {
		var q UnansweredQuestion
		return q, r.Scan(&q.Text, &q.Count, &q.LastSeen)
	})
	return out, wrap("list unanswered questions", err)
}

// DownVote is the answers about one procedure judged unhelpful: how many, with the questions
// they answered and the comments left.
type DownVote struct {
	ProcedureID string // "" for answers about no procedure
	Title       string
	Count       int
	Questions   []string
	Comments    []string
	Reasons     []string // the reasons given (feedback reason keys), most recent first
}

// DownVotes returns the unhelpful judgements since a time, by procedure, most first.
func (db *DB) DownVotes(ctx context.Context, since time.Time, limit int) ([]DownVote, error) {
	rows, err := db.pool.Query(ctx, `select t.procedure_id, coalesce(d.title, ''), count(*),
			array_agg(t.question order by f.created_at desc),
			coalesce(array_agg(f.comment order by f.created_at desc) filter (where f.comment <> ''), '{}'),
			coalesce(array_agg(f.reason order by f.created_at desc) filter (where f.reason <> ''), '{}')
		from feedback f join (`+turnPairs+`) t on t.id = f.message_id
		left join documents d on d.id = t.procedure_id
		where not f.helpful and f.created_at >= $1
		group by t.procedure_id, d.title order by 3 desc, 1 limit $2`, since, limit)
	if err != nil {
		return nil, wrap("list unhelpful answers", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DownVote, error) {
		var v DownVote
		return v, r.Scan(&v.ProcedureID, &v.Title, &v.Count, &v.Questions, &v.Comments, &v.Reasons)
	})
	return out, wrap("list unhelpful answers", err)
}

// DaySatisfaction is one day's judgements: how many, and how many found the answer helpful.
type DaySatisfaction struct {
	Day               time.Time
	Feedback, Helpful int
}

// Satisfaction returns the judgements per day since a time, oldest first.
func (db *DB) Satisfaction(ctx context.Context, since time.Time) ([]DaySatisfaction, error) {
	rows, err := db.pool.Query(ctx, `select date_trunc('day', created_at), count(*), count(*) filter (where helpful)
		from feedback where created_at >= $1 group by 1 order by 1`, since)
	if err != nil {
		return nil, wrap("count judgements per day", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DaySatisfaction, error) {
		var d DaySatisfaction
		return d, r.Scan(&d.Day, &d.Feedback, &d.Helpful)
	})
	return out, wrap("count judgements per day", err)
}

// ProcedureWeek is one week's judgements of the answers about one procedure.
type ProcedureWeek struct {
	ProcedureID       string
	Week              time.Time // its Monday
	Feedback, Helpful int
}

// SatisfactionByWeek returns the judgements since a time per procedure and week, oldest week
// first.
func (db *DB) SatisfactionByWeek(ctx context.Context, since time.Time) ([]ProcedureWeek, error) {
	rows, err := db.pool.Query(ctx, `select a.procedure_id, date_trunc('week', f.created_at), count(*), count(*) filter (where f.helpful)
		from feedback f join messages a on a.id = f.message_id
		where f.created_at >= $1 and a.procedure_id <> '' group by 1, 2 order by 2, 1`, since)
	if err != nil {
		return nil, wrap("count judgements per procedure and week", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProcedureWeek, error) {
		var w ProcedureWeek
		return w, r.Scan(&w.ProcedureID, &w.Week, &w.Feedback, &w.Helpful)
	})
	return out, wrap("count judgements per procedure and week", err)
}
