package catalog

// Form files glued to document names, and the short codes of forms.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
)

// splitForms cuts the form file names glued to the end of a document name
// ("...theo mẫu TK01.Mau TK01.docx"). It returns the name and the files in order.
func splitForms(s string) (string, []string) {
	rest := strings.TrimRight(s, " \t\n")
	var forms []string
	for k := 0; k < 8; k++ {
		loc := formExtRe.FindStringIndex(rest)
		if loc == nil {
			break
		}
		b := formStart(rest, loc[0])
		forms = append([]string{mdwrite.Clean(rest[b:])}, forms...)
		rest = strings.TrimRight(rest[:b], " \t\n")
	}
	return rest, forms
}

// formStart finds where the file name that ends at extAt (the '.' of its extension) starts.
// A file name is glued to the document name, so its start is a glue point inside a
// space-separated token: after a previous file's extension, after closing punctuation (";",
// ")", "." after a letter), at a case change ("anMẫu", "CPMau04") or at a glued "mẫu". Tokens are
// examined from the right; in the first token with a glue point the leftmost one is taken
// (file names contain dots and capitals of their own: "Ms03.DT.docx"). With no glue point the
// file name is taken to be the last token.
func formStart(s string, extAt int) int {
	limit := max(0, extAt-240)
	te := extAt
	lastTokenStart, keywordStart := -1, -1
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	for te > limit {
		ts := max(strings.LastIndexAny(s[limit:te], " \t\n")+1+limit, limit)
		if lastTokenStart < 0 {
			lastTokenStart = ts
		}
		if keywordStart < 0 && extAt-ts < 120 && formKeyword(s[ts:]) {
			keywordStart = ts
		}
		tokEnd := te
		if te == extAt {
			tokEnd = extAt // never cut inside the extension itself
		}
		if b := gluePoint(s, ts, tokEnd); b >= 0 {
			return b
		}
		te = ts - 1
		for te > 0 && (s[te-1] == ' ' || s[te-1] == '\t' || s[te-1] == '\n') {
			te--
		}
		if ts <= limit {
			break
		}
	}
	switch {
	case keywordStart >= 0:
		return keywordStart // "... NĐ-CP3 Mẫu số 07.docx": the file name starts with a form word
	case lastTokenStart >= 0:
		return lastTokenStart
	}
	return extAt
}

// formKeyword reports whether s starts with a word that begins form file names.
func formKeyword(s string) bool {
	for _, kw := range [...]string{"mẫu", "mau", "Mẫu", "Mau", "MẪU", "MAU", "Phụ lục", "phụ lục", "Phu luc", "phu luc", "PHỤ LỤC", "PL"} {
		if strings.HasPrefix(s, kw) {
			return true
		}
	}
	return false
}

// gluePoint returns the glue point in s[ts:te] (see formStart), or -1.
func gluePoint(s string, ts, te int) int {
	tok := s[ts:te]
	// After a previous file's extension: the rightmost such point wins.
	exts := formExtAnyRe.FindAllStringIndex(tok, -1)
	for k := len(exts) - 1; k >= 0; k-- {
		if i := exts[k][1]; i < len(tok) {
			if r, _ := utf8.DecodeRuneInString(tok[i:]); unicode.IsLetter(r) {
				return ts + i
			}
		}
	}
	var prev2, prev rune = -1, -1
	for i, r := range tok {
		if i > 0 && isGlue(tok[:i], prev2, prev, r, tok[i:]) {
			return ts + i
		}
		prev2, prev = prev, r
	}
	return -1
}

// isGlue reports whether a file name can start at rune r (rest is the text from r on),
// given the token text before it and its last two runes.
func isGlue(before string, prev2, prev, r rune, rest string) bool {
	alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
	switch {
	case !alnum:
		return false
	case strings.ContainsRune(";:)]”\"’", prev):
		return true
	case prev == '.' || prev == ',':
		// After a word or a year ("...Chính phủ.M03b.pdf", "30/6/2023.NA5.doc"), not after a
		// short number, which belongs to the file name ("Mau so 03.HNTY_cap lai.docx").
		return unicode.IsLetter(prev2) || prev2 == ')' || (unicode.IsUpper(r) && endsWithYear(before[:len(before)-1]))
	case unicode.IsLower(prev) && unicode.IsUpper(r):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(r):
		// An acronym glued to a word: "CPMau04" (but not "TTgGiấy", where "Tg" is no word).
		rs := []rune(rest)
		return len(rs) >= 3 && unicode.IsLower(rs[1]) && unicode.IsLower(rs[2])
	case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '.':
		// A form word glued on: "hết hạnmau so 20.doc", "2026.Mau 2a.docx".
		return (strings.HasPrefix(rest, "mẫu") || strings.HasPrefix(rest, "mau") || strings.HasPrefix(rest, "Mau") ||
			strings.HasPrefix(rest, "Mẫu") || strings.HasPrefix(rest, "phụ lục")) && !wordContinues(prev2, prev)
	}
	return false
}

// endsWithYear reports whether s ends with four digits (a year), not part of a dotted number.
func endsWithYear(s string) bool {
	if len(s) < 4 {
		return false
	}
	y := s[len(s)-4:]
	return strings.Trim(y, "0123456789") == "" && (len(s) == 4 || !strings.ContainsRune("0123456789.", rune(s[len(s)-5])))
}

// wordContinues reports whether the two runes before a glued form word are the end of a
// word that could go on with it ("tha" + "mau"? no such word; kept simple: a lone letter after
// a space, as in "y mau", is not glue).
func wordContinues(prev2, prev rune) bool {
	return unicode.IsSpace(prev2) && unicode.IsLetter(prev) && unicode.IsLower(prev)
}

// FormCode returns a short code for a form file name: "TK01" from "Mẫu TK01 Tờ khai.docx",
// "số 04" from "Mẫu số 04.docx", "phụ lục II" from "Phụ lục II.docx"; "" when there is none.
func FormCode(form string) string {
	stem := formExtRe.ReplaceAllString(strings.TrimSpace(form), "")
	if m := formNumRe.FindStringSubmatch(stem); m != nil {
		if h := formHyphenRe.FindStringSubmatch(stem[strings.Index(stem, m[1]):]); h != nil {
			return "số " + h[1] // "Mẫu số 13-HSB"
		}
		return "số " + m[1]
	}
	if m := formAnnexRe.FindStringSubmatch(stem); m != nil {
		return "phụ lục " + m[1]
	}
	if c := letterDigitCode(stem); c != "" {
		return c
	}
	if h := formHyphenRe.FindStringSubmatch(stem); h != nil {
		return "số " + h[1] // "14-HSB"
	}
	return ""
}

// letterDigitCode finds a code such as TK01, NA12, M03b, CT01 (in "MuCT01..."): 1-5 capitals
// not preceded by a capital, 1-4 digits, optionally one lower-case letter that ends the word.
func letterDigitCode(s string) string {
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !unicode.IsUpper(rs[i]) || (i > 0 && unicode.IsUpper(rs[i-1])) {
			continue
		}
		j := i
		for j < len(rs) && unicode.IsUpper(rs[j]) && j-i < 6 {
			j++
		}
		if j-i > 5 {
			continue
		}
		k := j
		for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' && k-j <= 4 {
			k++
		}
		if k == j || k-j > 4 || (k < len(rs) && unicode.IsDigit(rs[k])) {
			continue
		}
		if k < len(rs) && unicode.IsLower(rs[k]) && (k+1 == len(rs) || !unicode.IsLetter(rs[k+1])) {
			k++
		}
		return string(rs[i:k])
	}
	return ""
}
