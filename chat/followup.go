package chat

import (
	"context"
	"slices"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// followUp answers a message the resolver found to be about the conversation's procedure
// (cur): what it asks, about that procedure, or about it at the level the message names.
// rewritten is the LLM's standalone wording of the message when it was already asked for
// ("": ask for it here, when an LLM is configured).
// reasonOtherLevel is why a follow-up is answered from the procedure at another level.
const reasonOtherLevel = "follow-up at another level"

func (s *Service) followUp(ctx context.Context, t *turn, msg string, intents []string, cur resolve.Candidate, rewritten string) (decision, error) {
	of := cur.Result
	for _, v := range cur.Variants {
		if v.DocumentID == t.conv.ProcedureID {
			of = v
		}
	}
	question := msg
	if rewritten == "" && s.cfg.Generator != nil {
		rewritten = s.rewrite(ctx, t, msg, cur.Name.Title)
	}
	if rewritten != "" {
		question = rewritten
		if in := DetectIntents(rewritten); !onlyOverview(in) {
			intents = in
		}
	}
	if onlyOverview(intents) && len(t.conv.LastIntents) > 0 {
		intents = t.conv.LastIntents // "con tôi 5 tuổi thì sao?" asks the last question again
	}
	d := decision{status: StatusAnswered, intents: intents, question: question, reason: "follow-up", focus: focusWords(msg, cur.Name)}
	variants := append([]thutuc.SearchResult{cur.Result}, cur.Variants...)
	// "thế ở cấp tỉnh thì sao?" asks the same of the procedure at another level, which is
	// another document: answer from it, and the conversation moves to it.
	if named := retrieval.NamedLevels(vntext.Words(msg)); len(named) > 0 && of.Kind == thutuc.KindProcedure {
		v := otherLevel(named, of, variants)
		if v == nil && !atLevel(of.Level, named) {
			// Over the whole catalog a message as short as "còn cấp tỉnh?" does not find the
			// procedure's other levels by itself: search again with its title.
			resp, err := s.cfg.Searcher.Search(ctx, retrieval.Query{Text: of.Title + " " + msg, K: 10, Filter: thutuc.Filter{Locality: t.conv.Locality}})
			if err != nil {
				return decision{}, err
			}
			for _, r := range resp.Results {
				if isLevelVariant(of, r) && !hasResult(variants, r.DocumentID) {
					variants = append(variants, r)
				}
			}
			v = otherLevel(named, of, variants)
		}
		if v != nil {
			d.reason, of = reasonOtherLevel, *v
		}
		if atLevel(of.Level, named) {
			// The level asked about is answered by the document's own: it is not a case
			// the answer should look for in the sections.
			d.focus = withoutLevelWords(d.focus)
		}
	}
	d.docID, d.result, d.variants = of.DocumentID, &of, otherDocuments(variants, of.DocumentID)
	return d, nil
}

func hasResult(rs []thutuc.SearchResult, id string) bool {
	return slices.ContainsFunc(rs, func(r thutuc.SearchResult) bool { return r.DocumentID == id })
}

// otherLevel returns the level variant of cur, among rs, at the first of the named levels cur
// is not at; nil when there is none, and the answer stays on cur (no document is made up). Of
// several variants at that level, retrieval's best is taken.
func otherLevel(named []string, cur thutuc.SearchResult, rs []thutuc.SearchResult) *thutuc.SearchResult {
	for _, lv := range named {
		if atLevel(cur.Level, []string{lv}) {
			continue
		}
		var best *thutuc.SearchResult
		for i, r := range rs {
			if isLevelVariant(cur, r) && atLevel(r.Level, []string{lv}) && (best == nil || r.Score > best.Score) {
				best = &rs[i]
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
