// Package chat answers questions with grounded, cited answers: it finds the procedure asked
// about, picks the sections that answer the question's intents, and composes an answer in which
// every fact carries a citation marker pointing at the exact source passage. The default
// composer is extractive (no model); an LLM may rephrase, and its answer is checked against the
// sources and replaced by the extractive one when it states anything they do not.
package chat

// Answer statuses.
const (
	StatusAnswered = "answered"
	StatusClarify  = "clarify"
	StatusNoAnswer = "no_answer"
	StatusDeclined = "declined"
	StatusGreeting = "greeting" // a greeting or thanks, answered with what the assistant can do
)

// Audiences shape the answer: citizens get short plain steps, coaches a checklist, officers
// conditions, exceptions and legal basis down to the article.
const (
	AudienceCitizen = "citizen"
	AudienceCoach   = "coach"
	AudienceOfficer = "officer"
)

// Request is one user message (POST /v1/chat).
type Request struct {
	Message        string `json:"message"`
	ConversationID string `json:"conversation_id,omitempty"`
	// ConversationSecret continues the conversation: the one returned when it was created.
	// Without it, or with another, a new conversation starts.
	ConversationSecret string `json:"conversation_secret,omitempty"`
	Locality           string `json:"locality,omitempty"`
	Audience           string `json:"audience,omitempty"`
}

// ProcedureRef names the procedure an answer is about.
type ProcedureRef struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Title string `json:"title"`
}

// Citation is one numbered source of an answer; Quote is the exact source text the cited
// statement rests on.
type Citation struct {
	N          int    `json:"n"`
	DocumentID string `json:"document_id"`
	Code       string `json:"code"`
	Title      string `json:"title"`
	Section    string `json:"section"`
	Article    string `json:"article"`
	Quote      string `json:"quote"`
	SourceURL  string `json:"source_url"`
	AsOf       string `json:"as_of"`
}

// CaseDetail is one case of a procedure's documents ("Trường hợp làm lại vì bị mất"): what its
// chip says, and the documents block of that case (with those common to every case).
type CaseDetail struct {
	Label      string `json:"label"`
	Detail     string `json:"detail"`
	DetailHTML string `json:"detail_html"`
}

// Candidate is a procedure offered when the question is ambiguous.
type Candidate struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Label is what its chip says: the value of the facet that sets it apart ("làm lại vì bị
	// mất, hỏng"), or its title.
	Label string `json:"label"`
}

// Response is the answer to one message (the JSON body of POST /v1/chat, and the data of the
// SSE "done" event).
type Response struct {
	ConversationID string `json:"conversation_id"`
	// ConversationSecret is returned once, with the first answer of a new conversation: the
	// client keeps it with the id to continue the conversation.
	ConversationSecret string        `json:"conversation_secret,omitempty"`
	MessageID          string        `json:"message_id"`
	Status             string        `json:"status"`
	Intents            []string      `json:"intents"`
	Procedure          *ProcedureRef `json:"procedure"`
	Answer             string        `json:"answer"`
	AnswerHTML         string        `json:"answer_html"`
	// Detail is the rest of a citizen's answer, folded: the answer shows each section's first
	// facts, the detail the sections whole (Markdown and HTML, with the same citations), and
	// DetailLabel is what the button that unfolds it says ("Xem đủ 29 giấy tờ …"). Empty when
	// nothing is folded.
	Detail      string `json:"detail,omitempty"`
	DetailHTML  string `json:"detail_html,omitempty"`
	DetailLabel string `json:"detail_label,omitempty"`
	// Cases are the cases the procedure's documents differ by, when they do: each with the
	// documents of that case alone, for a chip that asks "which case is yours?".
	Cases      []CaseDetail `json:"cases,omitempty"`
	Citations  []Citation   `json:"citations"`
	Candidates []Candidate  `json:"candidates"`
	// OtherLevels are the same procedure's documents at other levels, which the answer names
	// (with their codes and official pages) after the answered one.
	OtherLevels []LevelVariant `json:"other_levels,omitempty"`
	Generator   string         `json:"generator"`
}

// SSE event names, in the order they are sent: meta once, delta any number of times,
// citations once, then done (or error).
//
// Event.Data is a Meta for meta, a Delta for delta, a []Citation for citations and the
// *Response for done. The answer of done is authoritative: with an LLM, deltas stream the
// model's text as it is written, and when that text fails the check against the sources done
// carries the extractive answer instead (its generator then differs from Meta.Generator).
const (
	EventMeta      = "meta"
	EventDelta     = "delta"
	EventCitations = "citations"
	EventDone      = "done"
	EventError     = "error"
)

// Event is one streamed piece of an answer.
type Event struct {
	Name string
	Data any
}

// Feedback is a user's judgement of one answer (POST /v1/feedback).
type Feedback struct {
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Helpful        *bool  `json:"helpful"`
	Comment        string `json:"comment"`
	// Reason says why an answer was not helpful: a key FeedbackReason knows, or "".
	Reason string `json:"reason,omitempty"`
}

// feedbackReasons are the reasons a user may give for an unhelpful answer, by key, with what
// their chips say.
var feedbackReasons = [...][2]string{
	{"sai-thu-tuc", "Sai thủ tục"},
	{"thieu-thong-tin", "Thiếu thông tin"},
	{"kho-hieu", "Khó hiểu"},
	{"qua-dai", "Quá dài"},
	{"thong-tin-cu", "Thông tin cũ"},
}

// FeedbackReason returns what the chip of a reason key says; ok is false for an unknown key.
func FeedbackReason(key string) (label string, ok bool) {
	for _, r := range feedbackReasons {
		if r[0] == key {
			return r[1], true
		}
	}
	return "", false
}
