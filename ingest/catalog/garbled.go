package catalog

// Form file names whose Vietnamese letters were stripped by the portal ("1.nxinnhnconnui.doc"
// for "Đơn xin nhận con nuôi"): they tell a citizen nothing and are not written.

import (
	"strings"
	"unicode"
)

// garbledName reports whether a form file name lost its Vietnamese letters: one of its
// space-separated parts has no letter outside ASCII, and one of its words (runs of letters, split where a lower-case letter meets a
// capital) that holds a lower-case letter cannot be read as unaccented Vietnamese syllables.
// Codes in capitals ("BHYT", "TK01") and short runs are not judged.
func garbledName(name string) bool {
	for _, tok := range strings.Fields(formExtRe.ReplaceAllString(strings.TrimSpace(name), "")) {
		if garbledToken(tok) {
			return true
		}
	}
	return false
}

// garbledToken is garbledName for one space-separated part of a name.
func garbledToken(tok string) bool {
	for _, r := range tok {
		if r > unicode.MaxASCII && unicode.IsLetter(r) {
			return false
		}
	}
	for _, w := range letterRuns(tok) {
		if len(w) < 3 || strings.ToUpper(w) == w {
			continue
		}
		lw := strings.ToLower(w)
		if fileWords[lw] {
			continue
		}
		if !syllables(lw) {
			return true
		}
	}
	return false
}

// fileWords are words of file names that are not Vietnamese.
var fileWords = map[string]bool{"file": true, "form": true, "final": true, "scan": true, "copy": true, "word": true,
	"excel": true, "new": true, "ver": true, "version": true, "update": true, "docx": true, "pdf": true, "draft": true}

// letterRuns splits s into runs of ASCII letters, also where a lower-case letter is followed by
// a capital ("MauDanhsach" → "Mau", "Danhsach").
func letterRuns(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		letter := i < len(s) && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
		if letter && start >= 0 && s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' {
			out = append(out, s[start:i])
			start = i
			continue
		}
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}

var (
	onsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
		"b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}
	codas = []string{"ng", "nh", "ch", "c", "m", "n", "p", "t", ""}
)

// syllables reports whether s (lower-case ASCII) is a run of unaccented Vietnamese syllables:
// an optional onset, one to three vowels, an optional final consonant.
func syllables(s string) bool {
	ok := make([]bool, len(s)+1)
	ok[0] = true
	for i := 0; i < len(s); i++ {
		if !ok[i] {
			continue
		}
		for _, on := range onsets {
			if !strings.HasPrefix(s[i:], on) {
				continue
			}
			j := i + len(on)
			for v := 1; v <= 3 && j+v <= len(s) && strings.IndexByte("aeiouy", s[j+v-1]) >= 0; v++ {
				for _, co := range codas {
					if strings.HasPrefix(s[j+v:], co) {
						ok[j+v+len(co)] = true
					}
				}
			}
		}
	}
	return ok[len(s)]
}
