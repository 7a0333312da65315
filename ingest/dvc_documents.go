package ingest

// Documents and forms: the thanh_phan_ho_so table of a catalog record.

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ParseDocuments recovers the rows of a thanh_phan_ho_so cell, with the case heading of each
// group. It returns nil, nil when the record gives nothing and an error when the cell holds
// text but no document table.
func ParseDocuments(s string) ([]DocItem, error) {
	items, _, err := dvcParseDocuments(norm.NFC.String(s))
	return items, err
}

// errNoDocTable says a thanh_phan_ho_so cell holds no table: the crawler sometimes stored other
// text there.
var errNoDocTable = errors.New("no document table")

// dvcParseDocuments is ParseDocuments that also returns warnings. s is NFC.
func dvcParseDocuments(s string) ([]DocItem, []string, error) {
	t := strings.TrimSpace(s)
	if dvcMissing(t) || strings.Trim(t, "- ") == "" {
		return nil, nil, nil
	}
	parts := strings.Split(t, dvcDocHeader)
	if len(parts) == 1 {
		return nil, nil, errNoDocTable
	}
	var items []DocItem
	var warns []string
	group := dvcDocHeading(parts[0])
	for i, seg := range parts[1:] {
		rows, tail := dvcDocRows(seg)
		for _, r := range rows {
			r.Group = group
			items = append(items, r)
		}
		if i+1 < len(parts)-1 {
			group = dvcDocHeading(tail) // text after the last row heads the next table
			continue
		}
		if tail = strings.TrimSpace(tail); strings.Trim(tail, "-* ") != "" {
			// A last row without a count.
			name, forms := dvcSplitForms(tail)
			d := DocItem{Group: group, Name: dvcCleanDocName(name), Form: strings.Join(forms, "; ")}
			if d.Name == "" {
				d.Name = d.Form
			}
			if d.Name != "" {
				items = append(items, d)
				warns = append(warns, "last document row has no count")
			}
		}
	}
	return items, warns, nil
}

// dvcDocHeading cleans a case heading: "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; "--" → "".
func dvcDocHeading(s string) string {
	h := impClean(s)
	h = strings.TrimLeft(h, "-*+• ")
	h = strings.TrimRight(h, ": ")
	return h
}

// dvcDocRows splits one table's rows. Each row ends with a count cell; the text after the last
// count (the next table's heading, if any) is returned as tail.
func dvcDocRows(seg string) (rows []DocItem, tail string) {
	prev := 0
	var raws []string // name+form text of each row, before cleaning
	for _, m := range dvcFindCounts(seg) {
		end := m[1]
		// A count cell is glued to what follows (the next row or the end). A count followed by a
		// space or punctuation is prose inside a name: "(01 bản chính hoặc ...)".
		if end < len(seg) {
			r, _ := utf8.DecodeRuneInString(seg[end:])
			if unicode.IsSpace(r) || strings.ContainsRune(".,;:)]", r) {
				continue
			}
			if dvcCountEnd(seg, end) > end {
				continue // "01 bản chính" + "1 bản chính": the second one is the cell
			}
		}
		count := dvcCount(seg[m[0]:m[1]])
		name := seg[prev:m[0]]
		prev = end
		if strings.Trim(name, " -;,.") == "" && len(rows) > 0 {
			// Nothing between two counts: the first was prose at the end of the name.
			raws[len(raws)-1] += strings.TrimSpace(rows[len(rows)-1].Count) + name
			rows[len(rows)-1].Count = count
			continue
		}
		rows = append(rows, DocItem{Count: count})
		raws = append(raws, name)
	}
	out := rows[:0]
	for i, r := range rows {
		name, forms := dvcSplitForms(raws[i])
		r.Name = dvcCleanDocName(name)
		r.Form = strings.Join(forms, "; ")
		if r.Name == "" {
			r.Name = r.Form
		}
		if r.Name != "" { // a count with no name is nothing to list
			out = append(out, r)
		}
	}
	return out, seg[prev:]
}

// dvcFindCounts finds the copy-count cells in s: "1 bản chính", "1 bản chính,1 bản sao",
// "1 bản sao". One digit only: a longer number is the end of the name glued to the count
// ("...năm 2026" + "1 bản chính").
func dvcFindCounts(s string) [][2]int {
	var cells [][2]int
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], " bản ")
		if j < 0 {
			break
		}
		if at := i + j - 1; at >= 0 {
			if end := dvcCountEnd(s, at); end > at {
				cells = append(cells, [2]int{at, end})
				i = end
				continue
			}
		}
		i += j + 1
	}
	return cells
}

// dvcCountEnd returns the end of the count cell starting at s[at], or at if there is none.
func dvcCountEnd(s string, at int) int {
	if at >= len(s) || s[at] < '0' || s[at] > '9' {
		return at
	}
	rest := s[at+1:]
	switch {
	case strings.HasPrefix(rest, " bản chính"):
		end := at + 1 + len(" bản chính")
		k := end
		if k < len(s) && s[k] == ',' {
			k++
			if k < len(s) && s[k] == ' ' {
				k++
			}
			if k < len(s) && s[k] >= '0' && s[k] <= '9' && strings.HasPrefix(s[k+1:], " bản sao") {
				end = k + 1 + len(" bản sao")
			}
		}
		return end
	case strings.HasPrefix(rest, " bản sao"):
		return at + 1 + len(" bản sao")
	}
	return at
}

// dvcCount normalises a count cell: "1 bản chính,1 bản sao" → "1 bản chính, 1 bản sao".
func dvcCount(s string) string {
	return strings.Replace(strings.Replace(s, ",", ", ", 1), ",  ", ", ", 1)
}

func dvcCleanDocName(s string) string {
	n := impClean(s)
	n = strings.TrimLeft(n, "-+*• ")
	n = strings.TrimRight(n, " ;,:")
	if strings.HasSuffix(n, ".") && !strings.HasSuffix(n, "..") {
		n = n[:len(n)-1]
	}
	return n
}

// dvcSplitForms cuts the form file names glued to the end of a document name
// ("...theo mẫu TK01.Mau TK01.docx"). It returns the name and the files in order.
func dvcSplitForms(s string) (string, []string) {
	rest := strings.TrimRight(s, " \t\n")
	var forms []string
	for k := 0; k < 8; k++ {
		loc := dvcFormExtRe.FindStringIndex(rest)
		if loc == nil {
			break
		}
		b := dvcFormStart(rest, loc[0])
		forms = append([]string{impClean(rest[b:])}, forms...)
		rest = strings.TrimRight(rest[:b], " \t\n")
	}
	return rest, forms
}

// dvcFormStart finds where the file name that ends at extAt (the '.' of its extension) starts.
// A file name is glued to the document name, so its start is a glue point inside a
// space-separated token: after a previous file's extension, after closing punctuation (";",
// ")", "." after a letter), at a case change ("anMẫu", "CPMau04") or at a glued "mẫu". Tokens are
// examined from the right; in the first token with a glue point the leftmost one is taken
// (file names contain dots and capitals of their own: "Ms03.DT.docx"). With no glue point the
// file name is taken to be the last token.
func dvcFormStart(s string, extAt int) int {
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
		if keywordStart < 0 && extAt-ts < 120 && dvcFormKeyword(s[ts:]) {
			keywordStart = ts
		}
		tokEnd := te
		if te == extAt {
			tokEnd = extAt // never cut inside the extension itself
		}
		if b := dvcGluePoint(s, ts, tokEnd); b >= 0 {
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

// dvcFormKeyword reports whether s starts with a word that begins form file names.
func dvcFormKeyword(s string) bool {
	for _, kw := range [...]string{"mẫu", "mau", "Mẫu", "Mau", "MẪU", "MAU", "Phụ lục", "phụ lục", "Phu luc", "phu luc", "PHỤ LỤC", "PL"} {
		if strings.HasPrefix(s, kw) {
			return true
		}
	}
	return false
}

// dvcGluePoint returns the glue point in s[ts:te] (see dvcFormStart), or -1.
func dvcGluePoint(s string, ts, te int) int {
	tok := s[ts:te]
	// After a previous file's extension: the rightmost such point wins.
	exts := dvcFormExtAnyRe.FindAllStringIndex(tok, -1)
	for k := len(exts) - 1; k >= 0; k-- {
		if i := exts[k][1]; i < len(tok) {
			if r, _ := utf8.DecodeRuneInString(tok[i:]); unicode.IsLetter(r) {
				return ts + i
			}
		}
	}
	var prev2, prev rune = -1, -1
	for i, r := range tok {
		if i > 0 && dvcIsGlue(tok[:i], prev2, prev, r, tok[i:]) {
			return ts + i
		}
		prev2, prev = prev, r
	}
	return -1
}

// dvcIsGlue reports whether a file name can start at rune r (rest is the text from r on),
// given the token text before it and its last two runes.
func dvcIsGlue(before string, prev2, prev, r rune, rest string) bool {
	alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
	switch {
	case !alnum:
		return false
	case strings.ContainsRune(";:)]”\"’", prev):
		return true
	case prev == '.' || prev == ',':
		// After a word or a year ("...Chính phủ.M03b.pdf", "30/6/2023.NA5.doc"), not after a
		// short number, which belongs to the file name ("Mau so 03.HNTY_cap lai.docx").
		return unicode.IsLetter(prev2) || prev2 == ')' || (unicode.IsUpper(r) && dvcEndsWithYear(before[:len(before)-1]))
	case unicode.IsLower(prev) && unicode.IsUpper(r):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(r):
		// An acronym glued to a word: "CPMau04" (but not "TTgGiấy", where "Tg" is no word).
		rs := []rune(rest)
		return len(rs) >= 3 && unicode.IsLower(rs[1]) && unicode.IsLower(rs[2])
	case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '.':
		// A form word glued on: "hết hạnmau so 20.doc", "2026.Mau 2a.docx".
		return (strings.HasPrefix(rest, "mẫu") || strings.HasPrefix(rest, "mau") || strings.HasPrefix(rest, "Mau") ||
			strings.HasPrefix(rest, "Mẫu") || strings.HasPrefix(rest, "phụ lục")) && !dvcWordContinues(prev2, prev)
	}
	return false
}

// dvcEndsWithYear reports whether s ends with four digits (a year), not part of a dotted number.
func dvcEndsWithYear(s string) bool {
	if len(s) < 4 {
		return false
	}
	y := s[len(s)-4:]
	return strings.Trim(y, "0123456789") == "" && (len(s) == 4 || !strings.ContainsRune("0123456789.", rune(s[len(s)-5])))
}

// dvcWordContinues reports whether the two runes before a glued form word are the end of a
// word that could go on with it ("tha" + "mau"? no such word; kept simple: a lone letter after
// a space, as in "y mau", is not glue).
func dvcWordContinues(prev2, prev rune) bool {
	return unicode.IsSpace(prev2) && unicode.IsLetter(prev) && unicode.IsLower(prev)
}

// FormCode returns a short code for a form file name: "TK01" from "Mẫu TK01 Tờ khai.docx",
// "số 04" from "Mẫu số 04.docx", "phụ lục II" from "Phụ lục II.docx"; "" when there is none.
func FormCode(form string) string {
	stem := dvcFormExtRe.ReplaceAllString(strings.TrimSpace(form), "")
	if m := dvcFormNumRe.FindStringSubmatch(stem); m != nil {
		if h := dvcFormHyphenRe.FindStringSubmatch(stem[strings.Index(stem, m[1]):]); h != nil {
			return "số " + h[1] // "Mẫu số 13-HSB"
		}
		return "số " + m[1]
	}
	if m := dvcFormAnnexRe.FindStringSubmatch(stem); m != nil {
		return "phụ lục " + m[1]
	}
	if c := dvcLetterDigitCode(stem); c != "" {
		return c
	}
	if h := dvcFormHyphenRe.FindStringSubmatch(stem); h != nil {
		return "số " + h[1] // "14-HSB"
	}
	return ""
}

// dvcLetterDigitCode finds a code such as TK01, NA12, M03b, CT01 (in "MuCT01..."): 1-5 capitals
// not preceded by a capital, 1-4 digits, optionally one lower-case letter that ends the word.
func dvcLetterDigitCode(s string) string {
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
