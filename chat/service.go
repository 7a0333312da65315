package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/redact"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
)

// MaxMessageRunes bounds a message. Citizens tell long stories; the resolver reads the
// sentences that ask something.
const MaxMessageRunes = 5000

// GeneratorExtractive names answers composed from source passages without a model.
const GeneratorExtractive = "extractive"

// DefaultRetention is how long a conversation is kept after its last message.
const DefaultRetention = 30 * 24 * time.Hour

// Config wires a Service.
type Config struct {
	Searcher  *retrieval.Searcher
	DB        *postgres.DB
	Generator Generator // nil: extractive answers only
	Logger    *slog.Logger
	// Retention is how long a conversation, its messages and their feedback are kept after
	// the last message (default 30 days); PurgeExpired deletes older ones.
	Retention time.Duration
	// Resolver decides which procedure a message means; nil: the resolver over Searcher and DB
	// with the committed knowledge base and model.
	Resolver *resolve.Resolver
	// DBTimeout bounds the database steps of one message (default 3 s): loading the
	// conversation, finding the procedure and its passages, then saving the turn. The LLM's
	// answer between them has its own limit.
	DBTimeout time.Duration
	// Observer, when set, is told the time of each stage of an answer, its status and the LLM
	// answers replaced by the extractive one (metrics).
	Observer Observer
	// Now is today's clock (default time.Now): a rule "đến hết <date>" whose date has passed
	// is shown as ended.
	Now func() time.Time
}

// now is the time by the configured clock.
func (s *Service) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// Observer records what answering costs and gives.
type Observer interface {
	Stage(stage string, d time.Duration) // load, resolve, compose, llm, save
	Answer(status string)
	Fallback(reason string)
}

// Service answers chat messages.
type Service struct {
	cfg         Config
	resolver    *resolve.Resolver
	resolverErr error // why there is no resolver: every message fails with it
	log         *slog.Logger
	html        renderer
}

// DefaultDBTimeout bounds the database steps of one message.
const DefaultDBTimeout = 3 * time.Second

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.DBTimeout <= 0 {
		cfg.DBTimeout = DefaultDBTimeout
	}
	s := &Service{cfg: cfg, resolver: cfg.Resolver, log: cfg.Logger, html: newRenderer()}
	if s.resolver == nil {
		s.resolver, s.resolverErr = resolve.New(cfg.Searcher, cfg.DB)
	}
	return s
}

// Meta is the data of the meta event, sent before any text.
type Meta struct {
	ConversationID     string        `json:"conversation_id"`
	ConversationSecret string        `json:"conversation_secret,omitempty"` // as in Response
	MessageID          string        `json:"message_id"`
	Status             string        `json:"status"`
	Intents            []string      `json:"intents"`
	Procedure          *ProcedureRef `json:"procedure"`
	// Generator is the generator expected to write the answer. When the done event names
	// another one, the streamed text was replaced (see Answer).
	Generator string `json:"generator"`
}

// Delta is the data of a delta event: the next piece of the answer's Markdown.
type Delta struct {
	Text string `json:"text"`
}

// turn is one message being answered.
type turn struct {
	req     Request
	conv    *postgres.Conversation
	pending *pendingClarification
	userID  string
	msgID   string
	secret  string // of a conversation created by this turn, "" otherwise
	emit    func(Event) error
}

func (t *turn) send(name string, data any) error {
	if t.emit == nil {
		return nil
	}
	if err := t.emit(Event{Name: name, Data: data}); err != nil {
		return fmt.Errorf("send %s event: %w", name, err)
	}
	return nil
}

// pendingClarification is the question awaiting the user's choice of procedure.
type pendingClarification struct {
	Question   string      `json:"question"`
	Intents    []string    `json:"intents"`
	Candidates []Candidate `json:"candidates"`
	// Options are the facet's values offered, with the words a reply may pick each by.
	Options []resolve.Option `json:"options,omitempty"`
	// Variants are the level variants of each candidate (by id) the search found with them:
	// the answer after the pick names them without searching again.
	Variants map[string][]LevelVariant `json:"variants,omitempty"`
}

// Answer answers one message. emit, when not nil, receives the events as they happen: meta,
// delta…, citations, done.
//
// With an LLM and emit set, the model's text is streamed as deltas while it is written, and
// checked against the sources only once complete. When it fails the check (or the model
// fails or times out after streaming began), the done event carries the extractive answer,
// which replaces everything streamed, with generator "extractive": clients must render the
// answer of done, using deltas only as a preview. The replacement is logged.
//
// When ctx ends (the client went away) Answer returns ctx's error promptly and stores
// nothing: a turn is stored in one transaction just before done.
func (s *Service) Answer(ctx context.Context, req Request, emit func(Event) error) (*Response, error) {
	req, err := normalizeRequest(req)
	if err != nil {
		return nil, err
	}
	// The database steps before the answer is written share one deadline.
	dbctx, cancel := context.WithTimeout(ctx, s.cfg.DBTimeout)
	defer cancel()
	start := time.Now()
	t, err := s.begin(dbctx, req, emit)
	if err != nil {
		return nil, err
	}
	start = s.stage("load", start)
	d, err := s.decide(dbctx, t)
	if err != nil {
		return nil, err
	}
	start = s.stage("resolve", start)
	draft, err := s.draft(dbctx, t, d)
	if err != nil {
		return nil, err
	}
	start = s.stage("compose", start)
	cancel()
	resp := &Response{
		ConversationID: t.conv.ID, ConversationSecret: t.secret, MessageID: t.msgID, Status: d.status, Intents: nonNilStrings(d.intents),
		Procedure: draft.procedure, Candidates: candidateRefs(d.facet), Citations: []Citation{}, OtherLevels: draft.others,
	}
	expected := GeneratorExtractive
	if s.usesGenerator(d) {
		expected = s.cfg.Generator.Name()
	}
	if err := t.send(EventMeta, Meta{ConversationID: resp.ConversationID, ConversationSecret: resp.ConversationSecret, MessageID: resp.MessageID, Status: resp.Status,
		Intents: resp.Intents, Procedure: resp.Procedure, Generator: expected}); err != nil {
		return nil, err
	}
	if err := s.write(ctx, t, d, draft, resp); err != nil {
		return nil, err
	}
	if s.usesGenerator(d) {
		start = s.stage("llm", start)
	}
	if resp.AnswerHTML, err = s.html.html(resp.Answer); err != nil {
		return nil, err
	}
	if resp.Detail != "" {
		if resp.DetailHTML, err = s.html.html(resp.Detail); err != nil {
			return nil, err
		}
	}
	for i := range resp.Cases {
		if resp.Cases[i].DetailHTML, err = s.html.html(resp.Cases[i].Detail); err != nil {
			return nil, err
		}
	}
	if err := t.send(EventCitations, resp.Citations); err != nil {
		return nil, err
	}
	savectx, cancelSave := context.WithTimeout(ctx, s.cfg.DBTimeout)
	defer cancelSave()
	start = time.Now()
	if err := s.save(savectx, t, d, resp); err != nil {
		return nil, err
	}
	s.stage("save", start)
	if s.cfg.Observer != nil {
		s.cfg.Observer.Answer(resp.Status)
	}
	s.log.Info("chat answer", "conversation", redact.ID(resp.ConversationID), "message", redact.ID(resp.MessageID), "status", resp.Status,
		"intents", resp.Intents, "procedure", procedureID(resp.Procedure), "generator", resp.Generator, "reason", d.reason)
	if err := t.send(EventDone, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

var localityPattern = regexp.MustCompile(`^[a-z0-9-]{0,64}$`)

// checkTexts checks fields given as name, value pairs with thutuc.CheckText, returning the
// first error.
func checkTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := thutuc.CheckText(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// normalizeRequest validates a request and fills its defaults.
func normalizeRequest(req Request) (Request, error) {
	req.Message = strings.TrimSpace(req.Message)
	req.Audience = strings.ToLower(strings.TrimSpace(req.Audience))
	req.Locality = strings.ToLower(strings.TrimSpace(req.Locality))
	req.ConversationID = strings.TrimSpace(req.ConversationID)
	if err := checkTexts("Câu hỏi", req.Message, "conversation_id", req.ConversationID, "conversation_secret", req.ConversationSecret); err != nil {
		return req, err
	}
	switch {
	case req.Message == "":
		return req, thutuc.Errorf(thutuc.EINVALID, "Câu hỏi trống: hãy nhập nội dung cần hỏi.")
	case utf8.RuneCountInString(req.Message) > MaxMessageRunes:
		return req, thutuc.Errorf(thutuc.EINVALID, "Câu hỏi quá dài (tối đa %d ký tự).", MaxMessageRunes)
	case !localityPattern.MatchString(req.Locality):
		return req, thutuc.Errorf(thutuc.EINVALID, "locality phải là mã tỉnh, thành phố dạng ha-noi.")
	}
	switch req.Audience {
	case "", AudienceCitizen, AudienceCoach, AudienceOfficer:
	default:
		return req, thutuc.Errorf(thutuc.EINVALID, "audience phải là citizen, coach hoặc officer.")
	}
	// Personal data goes no further than here: what is stored, logged, sent to an LLM or
	// kept for a clarification's reply has placeholders instead.
	req.Message = redact.Text(req.Message)
	return req, nil
}

// begin loads the conversation of a request, or starts a new one. An unknown or expired
// conversation id starts a new conversation with a new id rather than failing: a widget that
// kept an id past the retention period should go on working.
func (s *Service) begin(ctx context.Context, req Request, emit func(Event) error) (*turn, error) {
	t := &turn{req: req, emit: emit, userID: newID(), msgID: newID()}
	if req.ConversationID != "" && len(req.ConversationID) <= 64 {
		conv, err := s.cfg.DB.Conversation(ctx, req.ConversationID)
		switch {
		case err == nil && secretMatches(conv.SecretHash, req.ConversationSecret):
			t.conv = conv
		case err == nil:
			s.log.Debug("conversation secret missing or wrong: starting a new one", "conversation", redact.ID(req.ConversationID))
		case thutuc.ErrorCode(err) == thutuc.ENOTFOUND:
			s.log.Debug("unknown conversation: starting a new one", "conversation", redact.ID(req.ConversationID))
		default:
			return nil, fmt.Errorf("load conversation: %w", err)
		}
	}
	if t.conv == nil {
		t.secret = newID()
		t.conv = &postgres.Conversation{ID: newID(), Audience: AudienceCitizen, SecretHash: secretHash(t.secret)}
	}
	if req.Locality != "" {
		t.conv.Locality = req.Locality
	}
	switch {
	case req.Audience != "":
		t.conv.Audience = req.Audience
	case t.conv.Audience == "":
		t.conv.Audience = AudienceCitizen
	}
	if len(t.conv.Pending) > 0 {
		var p pendingClarification
		if err := json.Unmarshal(t.conv.Pending, &p); err != nil {
			s.log.Warn("unreadable pending clarification: ignored", "conversation", redact.ID(t.conv.ID), "err", err)
		} else {
			t.pending = &p
		}
	}
	return t, nil
}

// stage tells the observer that a stage begun at start has ended, and returns now.
func (s *Service) stage(name string, start time.Time) time.Time {
	now := time.Now()
	if s.cfg.Observer != nil {
		s.cfg.Observer.Stage(name, now.Sub(start))
	}
	return now
}

// newID returns a random, URL-safe identifier (26 characters of base32, 128 bits).
func newID() string { return strings.ToLower(rand.Text()) }

func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// secretMatches reports whether secret is the conversation's (in constant time). A
// conversation without a secret (from before secrets) matches none.
func secretMatches(hash []byte, secret string) bool {
	return len(hash) == sha256.Size && secret != "" && subtle.ConstantTimeCompare(hash, secretHash(secret)) == 1
}

// write fills the answer, its citations and generator, streaming deltas.
func (s *Service) write(ctx context.Context, t *turn, d decision, dr *draftAnswer, resp *Response) error {
	if s.usesGenerator(d) {
		return s.generate(ctx, t, d, dr, resp)
	}
	resp.Answer, resp.Citations, resp.Generator = dr.markdown, nonNilCitations(dr.citations), GeneratorExtractive
	resp.Detail, resp.DetailLabel, resp.Cases = dr.detail, dr.detailLabel, dr.cases
	return streamText(t, resp.Answer)
}

// usesGenerator reports whether the LLM writes the answer of a decision: answers about one
// procedure. An answer in parts stays extractive.
func (s *Service) usesGenerator(d decision) bool {
	return s.cfg.Generator != nil && d.status == StatusAnswered && len(d.parts) == 0
}

// streamText sends text as deltas, one line at a time.
func streamText(t *turn, text string) error {
	if t.emit == nil {
		return nil
	}
	for _, piece := range strings.SplitAfter(text, "\n") {
		if piece == "" {
			continue
		}
		if err := t.send(EventDelta, Delta{Text: piece}); err != nil {
			return err
		}
	}
	return nil
}

// save stores the turn and the conversation's new state.
func (s *Service) save(ctx context.Context, t *turn, d decision, resp *Response) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	conv := t.conv
	conv.Pending = nil
	switch d.status {
	case StatusAnswered:
		conv.ProcedureID, conv.LastIntents = resp.Procedure.ID, d.intents
	case StatusClarify:
		p, err := json.Marshal(pendingClarification{Question: d.question, Intents: d.intents, Candidates: resp.Candidates,
			Options: d.facet.Options, Variants: d.offered})
		if err != nil {
			return fmt.Errorf("encode pending clarification: %w", err)
		}
		conv.Pending = p
	}
	cites, err := json.Marshal(resp.Citations)
	if err != nil {
		return fmt.Errorf("encode citations: %w", err)
	}
	user := postgres.Message{ID: t.userID, Role: postgres.RoleUser, Text: t.req.Message, Intents: d.intents}
	answer := postgres.Message{ID: t.msgID, Role: postgres.RoleAssistant, Text: resp.Answer, Status: resp.Status,
		Intents: d.intents, ProcedureID: procedureID(resp.Procedure), Citations: cites, Generator: resp.Generator}
	if err := s.cfg.DB.SaveTurn(ctx, conv, s.cfg.Retention, user, answer); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return nil
}

// Feedback stores a user's judgement of an answer.
func (s *Service) Feedback(ctx context.Context, f Feedback) error {
	f.MessageID = strings.TrimSpace(f.MessageID)
	if err := checkTexts("message_id", f.MessageID, "Góp ý", f.Comment); err != nil {
		return err
	}
	switch {
	case f.MessageID == "":
		return thutuc.Errorf(thutuc.EINVALID, "Thiếu message_id: hãy cho biết câu trả lời nào được đánh giá.")
	case strings.TrimSpace(f.ConversationID) == "":
		return thutuc.Errorf(thutuc.EINVALID, "Thiếu conversation_id: hãy cho biết câu trả lời thuộc cuộc trò chuyện nào.")
	case f.Helpful == nil:
		return thutuc.Errorf(thutuc.EINVALID, "Hãy cho biết câu trả lời có hữu ích không (helpful: true hoặc false).")
	case utf8.RuneCountInString(f.Comment) > 2000:
		return thutuc.Errorf(thutuc.EINVALID, "Góp ý quá dài (tối đa 2000 ký tự).")
	case len(f.MessageID) > 64:
		return thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy câu trả lời để ghi nhận đánh giá.")
	case f.Reason != "" && !knownReason(f.Reason):
		return thutuc.Errorf(thutuc.EINVALID, "Lý do %q không có trong danh sách: sai-thu-tuc, thieu-thong-tin, kho-hieu, qua-dai, thong-tin-cu.", f.Reason)
	case f.Reason != "" && *f.Helpful:
		return thutuc.Errorf(thutuc.EINVALID, "Lý do chỉ dùng cho câu trả lời chưa hữu ích (helpful: false).")
	}
	return s.cfg.DB.SaveFeedback(ctx, postgres.MessageFeedback{ConversationID: strings.TrimSpace(f.ConversationID),
		MessageID: f.MessageID, Helpful: *f.Helpful, Comment: redact.Text(strings.TrimSpace(f.Comment)), Reason: f.Reason})
}

// Stats counts answers by status and the share of helpful answers per procedure.
type Stats struct {
	Statuses   map[string]int   `json:"statuses"`
	Procedures []ProcedureStats `json:"procedures"`
	// NotHelpfulReasons counts the answers judged not helpful by the reason given
	// (their keys; "none" when no reason was given).
	NotHelpfulReasons map[string]int `json:"not_helpful_reasons"`
}

// ProcedureStats is the feedback of one procedure.
type ProcedureStats struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Answers     int     `json:"answers"`
	Feedback    int     `json:"feedback"`
	Helpful     int     `json:"helpful"`
	HelpfulRate float64 `json:"helpful_rate"`
}

// Stats returns the answer statistics.
func (s *Service) Stats(ctx context.Context) (*Stats, error) {
	st, err := s.cfg.DB.ChatStats(ctx)
	if err != nil {
		return nil, err
	}
	out := &Stats{Statuses: map[string]int{}, Procedures: []ProcedureStats{}, NotHelpfulReasons: map[string]int{"none": st.Reasons[""]}}
	for _, r := range feedbackReasons {
		out.NotHelpfulReasons[r[0]] = st.Reasons[r[0]]
	}
	for _, status := range []string{StatusAnswered, StatusClarify, StatusNoAnswer, StatusDeclined, StatusGreeting} {
		out.Statuses[status] = st.Statuses[status]
	}
	for _, p := range st.Procedures {
		ps := ProcedureStats{ID: p.ID, Title: p.Title, Answers: p.Answers, Feedback: p.Feedback, Helpful: p.Helpful}
		if p.Feedback > 0 {
			ps.HelpfulRate = float64(p.Helpful) / float64(p.Feedback)
		}
		out.Procedures = append(out.Procedures, ps)
	}
	return out, nil
}

// PurgeExpired deletes the conversations whose retention has passed, with their messages and
// feedback, and returns how many were deleted. Run it periodically (e.g. hourly).
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	n, err := s.cfg.DB.PurgeConversations(ctx)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.log.Info("expired conversations purged", "count", n)
	}
	return n, nil
}

func procedureID(p *ProcedureRef) string {
	if p == nil {
		return ""
	}
	return p.ID
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilCitations(c []Citation) []Citation {
	if c == nil {
		return []Citation{}
	}
	return c
}

func knownReason(key string) bool {
	_, ok := FeedbackReason(key)
	return ok
}
