package chat

import (
	"context"
	"fmt"
	"github.com/thutuc/thutuc/resolve"
	"slices"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// decision is what a message gets: a status and, for answers, the document and the intents.
type decision struct {
	status     string
	intents    []string
	question   string                    // the question answered: the original one after a clarification
	docID      string                    // answered: the document answered from
	cand       *candidate                // answered: its search result, when the message's own search found it
	candidates []candidate               // clarify: the procedures offered
	offered    map[string][]LevelVariant // clarify: the level variants of each offered procedure, by id
	variants   []LevelVariant            // answered: the document at other levels, from the candidates at hand
	reason     string                    // why: for logs
	noTopic    bool                      // no_answer: the message names no procedure at all
	focus      []string                  // follow-up: words of the case asked about ("5 tuổi"), to pick the facts
	law        bool                      // the question is as much about a regulation: cite its articles
}

// decide chooses the status, the procedure and the intents of a message.
func (s *Service) decide(ctx context.Context, t *turn) (decision, error) {
	msg := t.req.Message
	if r := declineReason(msg); r != "" {
		return decision{status: StatusDeclined, reason: r}, nil
	}
	if t.pending != nil {
		if i := pickCandidate(msg, t.pending.Candidates); i >= 0 {
			c := t.pending.Candidates[i]
			return decision{status: StatusAnswered, docID: c.ID, intents: t.pending.Intents, question: t.pending.Question,
				variants: t.pending.Variants[c.ID], reason: "clarification answered"}, nil
		}
	}
	intents := DetectIntents(msg)
	cands, err := s.candidates(ctx, msg, t.conv.Locality)
	if err != nil {
		return decision{}, err
	}
	if resolve.OffTopic(msg) && s.scoped(msg, cands) == nil {
		return decision{status: StatusNoAnswer, intents: intents, reason: "off topic"}, nil
	}
	if d, ok, err := s.followUp(ctx, t, msg, intents, cands); err != nil || ok {
		return d, err
	}
	return s.route(msg, intents, cands), nil
}

// route decides a message on its own (no conversation): out of scope, ambiguous or answered.
func (s *Service) route(msg string, intents []string, cands []candidate) decision {
	if cands = s.scoped(msg, cands); cands == nil {
		noTopic := len(resolve.ContentWords(resolve.FoldedWords(msg))) == 0
		return decision{status: StatusNoAnswer, intents: intents, noTopic: noTopic, reason: "no procedure matches"}
	}
	// Only candidates good enough to answer from are offered or chosen.
	off := resolve.OffTopicsOf(msg)
	var pool []candidate
	for _, c := range cands {
		if s.answerable(c, off) {
			pool = append(pool, c)
		}
	}
	near, law := withoutRegulations(s.close(pool))
	// Level variants of one procedure are not a choice to put to the user: the level
	// retrieval ranked first is answered, and the answer names the others.
	near = collapseVariants(near)
	if len(near) >= 2 {
		return decision{status: StatusClarify, intents: intents, question: msg, candidates: near,
			offered: offeredVariants(near, cands), reason: "close candidates"}
	}
	// A regulation as close as a procedure is the procedure's legal basis: answer the
	// procedure and cite the regulation's articles with it.
	best := near[0]
	return decision{status: StatusAnswered, intents: intents, question: msg, docID: best.res.DocumentID, cand: &best, law: law,
		variants: levelVariants(best.res, cands)}
}

// followUp answers a message about the conversation's current procedure, when it is one.
func (s *Service) followUp(ctx context.Context, t *turn, msg string, intents []string, cands []candidate) (decision, bool, error) {
	cur := t.conv.ProcedureID
	if !s.isFollowUp(msg, cands, cur) {
		return decision{}, false, nil
	}
	names, err := s.cfg.DB.DocumentNames(ctx, []string{cur})
	if err != nil {
		return decision{}, false, err
	}
	if _, ok := names[cur]; !ok {
		return decision{}, false, nil // the document is gone: treat the message on its own
	}
	question := msg
	if s.cfg.Generator != nil {
		if rw := s.rewrite(ctx, t, msg, names[cur].Title); rw != "" {
			question = rw
			if in := DetectIntents(rw); !onlyOverview(in) {
				intents = in
			}
		}
	}
	if onlyOverview(intents) && len(t.conv.LastIntents) > 0 {
		intents = t.conv.LastIntents // "con tôi 5 tuổi thì sao?" asks the last question again
	}
	d := decision{status: StatusAnswered, intents: intents, question: question, docID: cur, reason: "follow-up",
		focus: focusWords(msg, names[cur])}
	cn := names[cur]
	of := thutuc.SearchResult{DocumentID: cur, Kind: cn.Kind, Title: cn.Title, Level: cn.Level}
	for i := range cands {
		if cands[i].res.DocumentID == cur {
			d.cand = &cands[i]
			of = cands[i].res
		}
	}
	// "thế ở cấp tỉnh thì sao?" asks the same of the procedure at another level, which is
	// another document: answer from it, and the conversation moves to it.
	if named := retrieval.NamedLevels(vntext.Words(msg)); len(named) > 0 && of.Kind == thutuc.KindProcedure {
		v := otherLevel(named, of, cands)
		if v == nil && !atLevel(of.Level, named) {
			// Over the whole catalog a message as short as "còn cấp tỉnh?" does not find the
			// procedure by itself: search again with its title.
			more, err := s.candidates(ctx, of.Title+" "+msg, t.conv.Locality)
			if err != nil {
				return decision{}, false, err
			}
			if v = otherLevel(named, of, more); v != nil {
				cands = more
			}
		}
		if v != nil {
			d.docID, d.cand, d.reason, of = v.res.DocumentID, v, "follow-up at another level", v.res
		}
		if atLevel(of.Level, named) {
			// The level asked about is answered by the document's own: it is not a case
			// the answer should look for in the sections.
			d.focus = withoutLevelWords(d.focus)
		}
	}
	d.variants = levelVariants(of, cands)
	return d, true, nil
}

// otherLevel returns the level variant of cur, among the candidates, at the first of the
// named levels cur is not at; nil when there is none, and the answer stays on cur (no
// document is made up). Of several variants at that level, retrieval's best is taken.
func otherLevel(named []string, cur thutuc.SearchResult, cands []candidate) *candidate {
	for _, lv := range named {
		if atLevel(cur.Level, []string{lv}) {
			continue
		}
		var best *candidate
		for i, c := range cands {
			if isLevelVariant(cur, c.res) && atLevel(c.res.Level, []string{lv}) && (best == nil || c.res.Score > best.res.Score) {
				best = &cands[i]
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// atLevel reports whether a document's level string ("Cấp tỉnh, Cấp xã") includes one of
// the level keys.
func atLevel(level string, keys []string) bool {
	for _, k := range postgres.LevelKeys(level) {
		if slices.Contains(keys, k) {
			return true
		}
	}
	return false
}

// levelWords are the words that name a level in a question ("lên tỉnh", "UBND xã", "cấp
// trung ương": see retrieval's level cues), accented: a word typed without diacritics matches
// its folded form, and "bố" is not taken for "bộ". The rest of a ministry's name ("Công an")
// is not among them.
var levelWords = []string{"cấp", "xã", "phường", "tỉnh", "bộ", "trung", "ương", "ubnd", "lên", "tại"}

// withoutLevelWords drops the words naming a level from a follow-up's focus words.
func withoutLevelWords(focus []string) []string {
	var out []string
	for _, w := range focus {
		if !slices.ContainsFunc(levelWords, func(l string) bool { return vntext.WordsAt([]string{w}, 0, []string{l}) }) {
			out = append(out, w)
		}
	}
	return out
}

// focusWords are the words of a follow-up that name its case ("con tôi 5 tuổi thì sao" →
// tuổi): not stop words, not words of intent phrases, not words of the procedure's names.
func focusWords(msg string, names postgres.DocumentName) []string {
	typed := vntext.Words(msg)
	folded := make([]string, len(typed))
	for i, w := range typed {
		folded[i] = vntext.Fold(w)
	}
	_, used := detectIntents(typed)
	named := map[string]bool{}
	for _, n := range append([]string{names.Title}, names.Aliases...) {
		for _, w := range resolve.FoldedWords(n) {
			named[w] = true
		}
	}
	var out []string
	for i, w := range typed {
		if !used[i] && resolve.IsTopic(w) && !resolve.GenericWords[folded[i]] && !named[folded[i]] && !anaphoraWords[folded[i]] {
			out = append(out, w)
		}
	}
	return out
}

// anaphoraWords are the words of follow-up phrases ("thì sao", "trường hợp này").
var anaphoraWords = resolve.WordSet(`sao the con vay truong hop nay do tren viec giay cai nhu neu`)

func onlyOverview(intents []string) bool {
	return len(intents) == 0 || (len(intents) == 1 && intents[0] == IntentOverview)
}

// draftAnswer is the extractive answer of a decision.
type draftAnswer struct {
	markdown  string
	citations []Citation
	procedure *ProcedureRef
	doc       docInfo
	levels    string         // the line naming the procedure's other levels, "" when none
	others    []LevelVariant // the documents it names
}

// draft composes the extractive answer (or the fixed text) of a decision.
func (s *Service) draft(ctx context.Context, t *turn, d decision) (*draftAnswer, error) {
	switch d.status {
	case StatusDeclined:
		return &draftAnswer{markdown: declineText(d.reason)}, nil
	case StatusNoAnswer:
		return &draftAnswer{markdown: noAnswerText(d.noTopic)}, nil
	case StatusClarify:
		return &draftAnswer{markdown: clarifyText(candidateRefs(d.candidates))}, nil
	}
	views, err := s.cfg.DB.DocumentChunks(ctx, d.docID, nil)
	if err != nil {
		return nil, fmt.Errorf("load %s to answer: %w", d.docID, err)
	}
	if len(views) == 0 {
		return nil, thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy thủ tục %q.", d.docID)
	}
	ps := make([]passage, len(views))
	for i, v := range views {
		ps[i] = passageFromView(v)
	}
	v := views[0]
	doc := docInfo{id: v.DocumentID, code: v.Code, title: v.Title, kind: v.Kind, sourceURL: v.SourceURL, asOf: v.AsOf}
	out := &draftAnswer{doc: doc, procedure: &ProcedureRef{ID: doc.id, Code: doc.code, Title: doc.title}}
	if doc.kind == thutuc.KindRegulation {
		var matched []passage
		if d.cand != nil {
			for _, sec := range d.cand.res.Sections {
				matched = append(matched, passageFromSearch(d.cand.res, sec))
			}
		}
		out.markdown, out.citations = composeRegulation(doc, ps, matched, d.intents)
		return out, nil
	}
	var articles []passage
	if d.law || hasIntent(d.intents, IntentLegalBasis) || t.conv.Audience == AudienceOfficer {
		if articles, err = s.legalArticles(ctx, d.question, doc, ps, t.conv.Locality, t.conv.Audience); err != nil {
			return nil, err
		}
	}
	out.others = otherLevels(d.variants, v.Level)
	out.levels = variantsLine(out.others)
	out.markdown, out.citations = composeProcedure(doc, ps, articles, d.intents, t.conv.Audience, d.focus, out.levels)
	return out, nil
}
