package retrieval

import (
	"slices"

	"github.com/thutuc/thutuc/vntext"
)

// Many procedures exist once per level with the same title ("Cấp đổi thẻ căn cước" at commune,
// province and ministry level) and score almost alike. A citizen most often means the level
// nearest to them: commune (xa), then province (tinh), then ministry (bo), unless the question
// names a level.
var defaultLevelOrder = []string{"xa", "tinh", "bo"}

// levelCues are word sequences (folded, or accented where folding is ambiguous) that name a
// level in a question.
var levelCues = []struct {
	words  []string
	folded bool // match folded words (the cue is unambiguous without diacritics)
	level  string
}{
	{[]string{"cap", "xa"}, true, "xa"},
	{[]string{"o", "xa"}, true, "xa"},
	{[]string{"tai", "xa"}, true, "xa"},
	{[]string{"ubnd", "xa"}, true, "xa"},
	{[]string{"phường"}, false, "xa"},
	{[]string{"cap", "phuong"}, true, "xa"},
	{[]string{"cap", "tinh"}, true, "tinh"},
	{[]string{"o", "tinh"}, true, "tinh"},
	{[]string{"tai", "tinh"}, true, "tinh"},
	{[]string{"len", "tinh"}, true, "tinh"}, // "nộp lên tỉnh"
	{[]string{"ubnd", "tinh"}, true, "tinh"},
	{[]string{"trung", "uong"}, true, "bo"},
	{[]string{"cap", "bo"}, true, "bo"},
	{[]string{"tai", "bo"}, true, "bo"},
	{[]string{"bộ", "công"}, false, "bo"}, // Bộ Công an, Bộ Công Thương
	{[]string{"bộ", "tư"}, false, "bo"},
	{[]string{"bộ", "tài"}, false, "bo"},
	{[]string{"bộ", "y"}, false, "bo"},
	{[]string{"bộ", "giáo"}, false, "bo"},
	{[]string{"bộ", "ngoại"}, false, "bo"},
	{[]string{"bộ", "quốc"}, false, "bo"},
	{[]string{"bộ", "lao"}, false, "bo"},
	{[]string{"bộ", "nội"}, false, "bo"},
	{[]string{"bộ", "xây"}, false, "bo"},
	{[]string{"bộ", "giao"}, false, "bo"},
	{[]string{"bộ", "nông"}, false, "bo"},
	{[]string{"bộ", "khoa"}, false, "bo"},
	{[]string{"bộ", "văn"}, false, "bo"},
	{[]string{"bộ", "kế"}, false, "bo"},
	{[]string{"bộ", "thông"}, false, "bo"},
}

// levelOrder returns the level keys in the order a question prefers them: the levels it names
// first (in the order named), then the default order.
func levelOrder(words []string) []string {
	order := NamedLevels(words)
	for _, l := range defaultLevelOrder {
		if !slices.Contains(order, l) {
			order = append(order, l)
		}
	}
	return order
}

// NamedLevels returns the level keys (xa, tinh, bo) that words (vntext.Words of a question)
// name, each once, in the order named; nil when they name none. The chat uses it to tell a
// follow-up that moves to another level ("thế ở cấp tỉnh thì sao?") from one that stays.
func NamedLevels(words []string) []string {
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = vntext.Fold(w)
	}
	var named []string
	for i := range words {
		for _, c := range levelCues {
			ws := words
			if c.folded {
				ws = folded
			}
			if !slices.Contains(named, c.level) && hasAt(ws, i, c.words) {
				named = append(named, c.level)
			}
		}
	}
	return named
}

func hasAt(ws []string, i int, seq []string) bool {
	if i+len(seq) > len(ws) {
		return false
	}
	for j, s := range seq {
		if ws[i+j] != s {
			return false
		}
	}
	return true
}

// levelBoost is how much a document at the preferred level gains in each retriever's ranking,
// relative to its score: enough to order near-duplicates that differ only by level (their
// scores are within a percent or two), too little to lift an unrelated document.
const levelBoost = 0.03

// levelBonus returns the relative tie-break bonus of a document with the given level keys:
// levelBoost for the first level of order, shrinking linearly to 0 for the last; the
// document's best level counts. Documents without a known level get nothing.
func levelBonus(levels, order []string) float64 {
	best := -1
	for _, l := range levels {
		for i, o := range order {
			if l == o && (best < 0 || i < best) {
				best = i
			}
		}
	}
	if best < 0 || len(order) < 2 {
		return 0
	}
	return levelBoost * float64(len(order)-1-best) / float64(len(order)-1)
}
