package kb

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// The national catalog holds many procedures once per level, as separate records with their
// own codes: "Cấp đổi thẻ căn cước" at commune, province and ministry level. Their titles are the
// same, or differ only by a level phrase ("… (thực hiện tại cấp tỉnh)"). Such level variants
// are one procedure to a citizen.

// titleLevels are the levels a title may name after "cấp", accented. A word typed without
// diacritics also matches its folded form; an accented word must match exactly, so that
// "cấp tính" (acute) or "cấp bổ sung" are not taken for "cấp tỉnh" or "cấp bộ".
var titleLevels = [][]string{{"xã"}, {"phường"}, {"huyện"}, {"tỉnh"}, {"trung", "ương"}, {"bộ"}}

// levelLead are the words that may introduce a level phrase in a title ("thực hiện tại cấp
// tỉnh", "ở cấp xã"); they go with it.
var levelLead = [][]string{{"thực", "hiện", "tại"}, {"thực", "hiện", "ở"}, {"thực", "hiện"}, {"tại"}, {"ở"}}

// VariantKey is the key of a title under which its level variants meet: vntext.Key of the
// title without its level phrases. A title that is nothing but a level phrase keeps it.
func VariantKey(title string) string {
	words := vntext.Words(title)
	kept := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		if n := levelPhraseAt(words, i); n > 0 {
			i += n
			continue
		}
		kept = append(kept, words[i])
		i++
	}
	if len(kept) == 0 {
		return vntext.Key(title)
	}
	return vntext.Key(strings.Join(kept, " "))
}

// levelPhraseAt returns how many words of a level phrase start at words[i], 0 when none
// does: an optional lead, "cấp", then a level.
func levelPhraseAt(words []string, i int) int {
	for _, l := range levelLead {
		if vntext.WordsAt(words, i, l) {
			if n := levelAt(words, i+len(l)); n > 0 {
				return len(l) + n
			}
			break // a lead not followed by a level is an ordinary word
		}
	}
	return levelAt(words, i)
}

// levelAt returns how many words of "cấp" and a level start at words[i], 0 when they do not.
func levelAt(words []string, i int) int {
	if !vntext.WordsAt(words, i, []string{"cấp"}) {
		return 0
	}
	for _, lv := range titleLevels {
		if vntext.WordsAt(words, i+1, lv) {
			return 1 + len(lv)
		}
	}
	return 0
}
