package chat

import (
	"context"
	"fmt"
	"slices"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/redact"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// decision is what a message gets: a status and, for answers, the document and the intents.
type decision struct {
	status   string
	intents  []string
	question string               // the question answered: the original one after a clarification
	docID    string               // answered: the document answered from
	result   *thutuc.SearchResult // answered: its search result (matched sections), when the message's search found it
	variants []LevelVariant       // answered: the document at other levels
	// clarify: the facet that separates the procedures offered, and each one's level variants
	facet   *resolve.Facet
	offered map[string][]LevelVariant
	reason  string    // why: for logs
	noTopic bool      // no_answer: the message names no procedure at all
	topic   *kb.Topic // no_answer: the uncovered sector the message is about
	focus   []string  // follow-up: words of the case asked about ("5 tuổi"), to pick the facts
	law     bool      // the question is as much about a regulation: cite its articles
	// a message that asks about several procedures: each part found (the first is the
	// decision itself), and the text of each part no procedure was found for
	parts   []decision
	missing []string
	unsure  []string // parts between close procedures: asked to be asked alone
}

// decide chooses the status, the procedure and the intents of a message. Which procedure is
// meant — or that none is, or which facet to ask about — is the resolver's decision; what is
// asked about it (the intents) and the conversation's state are chat's.
func (s *Service) decide(ctx context.Context, t *turn) (decision, error) {
	msg := t.req.Message
	if r := declineReason(msg); r != "" {
		return decision{status: StatusDeclined, reason: r}, nil
	}
	if t.pending != nil {
		opts := t.pending.options()
		if i := resolve.Pick(msg, opts); i >= 0 {
			o := opts[i]
			return decision{status: StatusAnswered, docID: o.ID, intents: t.pending.Intents, question: t.pending.Question,
				variants: t.pending.Variants[o.ID], reason: "clarification answered"}, nil
		}
	}
	if isSmallTalk(msg) {
		return decision{status: StatusGreeting, reason: "greeting or thanks"}, nil
	}
	if s.resolver == nil {
		return decision{}, s.resolverErr
	}
	intents := DetectIntents(msg)
	// The resolver reads the message without the placeholders of personal data.
	text := redact.Without(msg)
	res, err := s.resolver.Resolve(ctx, resolve.Query{Text: text, Locality: t.conv.Locality, Current: t.conv.ProcedureID})
	if err != nil {
		return decision{}, fmt.Errorf("find the procedure: %w", err)
	}
	if res.Decision != resolve.Answer || !res.Candidates[0].Current {
		parts, err := s.resolver.Parts(ctx, resolve.Query{Text: text, Locality: t.conv.Locality}, res)
		if err != nil {
			return decision{}, fmt.Errorf("find the procedures of each part: %w", err)
		}
		if parts != nil {
			return partsDecision(intents, parts), nil
		}
	}
	if res.Decision == resolve.None || res.Decision == resolve.Clarify && onlyLevel(msg, res) {
		// "thế ở cấp tỉnh thì sao?" names nothing but a level: the resolver, which sees only
		// what the message retrieves, may find none likely, or offer the conversation's
		// procedure beside others at that level. When the conversation's procedure is the
		// likeliest candidate, likelier than none, and exists at the level named, it is that
		// document.
		if d, ok, err := s.levelFollowUp(ctx, t, msg, intents, res); err != nil || ok {
			return d, err
		}
	}
	if res.Decision == resolve.None {
		// With an LLM, a message in a conversation that finds nothing may be a follow-up
		// worded too loosely: asked again as the standalone question it stands for, it
		// may be one about the conversation's procedure.
		if d, ok, err := s.rewrittenFollowUp(ctx, t, msg, intents); err != nil || ok {
			return d, err
		}
	}
	switch res.Decision {
	case resolve.None:
		return decision{status: StatusNoAnswer, intents: intents, noTopic: res.NoTopic && res.Topic == nil, topic: res.Topic,
			reason: fmt.Sprintf("no procedure is likely (P(none) %.2f)", res.None)}, nil
	case resolve.Clarify:
		offered := map[string][]LevelVariant{}
		for _, c := range res.Offered {
			if vs := variantsOf(c, c.ID()); len(vs) > 0 {
				offered[c.ID()] = vs
			}
		}
		return decision{status: StatusClarify, intents: intents, question: msg, facet: res.Facet, offered: offered,
			reason: fmt.Sprintf("%d procedures are close, asked by %s", len(res.Offered), res.Facet.Kind)}, nil
	}
	best := res.Candidates[0]
	if best.Current {
		return s.followUp(ctx, t, msg, intents, best, "")
	}
	return decision{status: StatusAnswered, intents: intents, question: msg, docID: best.ID(), result: &best.Result,
		law: s.lawToo(res, intents), variants: variantsOf(best, best.ID()),
		reason: fmt.Sprintf("P %.2f", best.P)}, nil
}

// rewrittenFollowUp resolves the LLM's standalone wording of a message in a conversation,
// and answers it as a follow-up when that finds the conversation's procedure; ok is false
// otherwise (no LLM, no procedure in the conversation, no rewrite, or another decision).
func (s *Service) rewrittenFollowUp(ctx context.Context, t *turn, msg string, intents []string) (decision, bool, error) {
	if s.cfg.Generator == nil || t.conv.ProcedureID == "" {
		return decision{}, false, nil
	}
	names, err := s.cfg.DB.DocumentNames(ctx, []string{t.conv.ProcedureID})
	if err != nil {
		return decision{}, false, fmt.Errorf("name the conversation's procedure: %w", err)
	}
	rw := s.rewrite(ctx, t, msg, names[t.conv.ProcedureID].Title)
	if rw == "" {
		return decision{}, false, nil
	}
	res, err := s.resolver.Resolve(ctx, resolve.Query{Text: redact.Without(rw), Locality: t.conv.Locality, Current: t.conv.ProcedureID})
	if err != nil {
		return decision{}, false, fmt.Errorf("find the procedure of the rewritten follow-up: %w", err)
	}
	if res.Decision != resolve.Answer || !res.Candidates[0].Current {
		return decision{}, false, nil
	}
	d, err := s.followUp(ctx, t, msg, intents, res.Candidates[0], rw)
	return d, err == nil, err
}

// lawToo reports whether a regulation is among the procedures the resolver offers with the
// one answered, for a question the law may answer (not only fees, deadlines, places, forms
// and the like, which the procedure's own sheet states): the answer cites its articles.
func (s *Service) lawToo(res *resolve.Resolution, intents []string) bool {
	if res.Candidates[0].Result.Kind != thutuc.KindProcedure {
		return false
	}
	practical := len(intents) > 0
	for _, in := range intents {
		practical = practical && slices.Contains(practicalIntents, in)
	}
	if practical {
		return false
	}
	for _, c := range res.Candidates[1:min(3, len(res.Candidates))] {
		if c.Result.Kind == thutuc.KindRegulation && c.P >= s.resolver.Model.Offer {
			return true
		}
	}
	return false
}

// variantsOf returns the documents of a candidate other than the one answered (id): its level
// variants, in retrieval's order.
func variantsOf(c resolve.Candidate, id string) []LevelVariant {
	return otherDocuments(append([]thutuc.SearchResult{c.Result}, c.Variants...), id)
}

// otherDocuments returns the procedures among rs other than document id, as level variants.
func otherDocuments(rs []thutuc.SearchResult, id string) []LevelVariant {
	var out []LevelVariant
	for _, r := range rs {
		if r.DocumentID != id && r.Kind == thutuc.KindProcedure {
			out = append(out, newLevelVariant(r))
		}
	}
	return out
}

// practicalIntents are what a procedure's sheet answers by itself.
var practicalIntents = []string{IntentDocuments, IntentFees, IntentDeadline, IntentSteps, IntentWhere, IntentOnline, IntentForms, IntentResult}

// options are the choices a pending clarification offered. A clarification stored before
// facets existed offered titles only.
func (p *pendingClarification) options() []resolve.Option {
	if len(p.Options) > 0 {
		return p.Options
	}
	out := make([]resolve.Option, len(p.Candidates))
	for i, c := range p.Candidates {
		out[i] = resolve.Option{Label: c.Title, ID: c.ID, Title: c.Title, Match: resolve.FoldedWords(c.Title)}
	}
	return out
}

// onlyLevel reports whether msg names nothing but a level besides the words of the likeliest
// candidate's names and of what it asks ("thế ở cấp tỉnh thì sao?"): a clarification would
// then offer procedures that merely exist at that level.
func onlyLevel(msg string, res *resolve.Resolution) bool {
	if len(res.Candidates) == 0 || len(retrieval.NamedLevels(vntext.Words(msg))) == 0 {
		return false
	}
	return len(withoutLevelWords(focusWords(msg, res.Candidates[0].Name))) == 0
}

// levelFollowUp answers a message that names only another level of the conversation's
// procedure ("còn cấp tỉnh?") from the procedure at that level, when the resolver ranks the
// conversation's procedure first and the level's document is found; ok is false otherwise.
func (s *Service) levelFollowUp(ctx context.Context, t *turn, msg string, intents []string, res *resolve.Resolution) (decision, bool, error) {
	if len(res.Candidates) == 0 || !res.Candidates[0].Current || res.Candidates[0].P <= res.None ||
		len(retrieval.NamedLevels(vntext.Words(msg))) == 0 {
		return decision{}, false, nil
	}
	d, err := s.followUp(ctx, t, msg, intents, res.Candidates[0], "")
	if err != nil || d.reason != reasonOtherLevel {
		return decision{}, false, err
	}
	return d, true, nil
}
