// Package redact replaces the personal data citizens type into the chat — identity card,
// passport, phone and bank account numbers, e-mail addresses — with typed placeholders, before
// anything is stored, logged or sent to a language model. Fees, dates, procedure codes and
// legal document numbers stay as they are.
package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// The placeholders that replace personal data.
const (
	CCCD     = "[số CCCD]"
	CMND     = "[số CMND]"
	Passport = "[số hộ chiếu]"
	Phone    = "[số điện thoại]"
	Email    = "[e-mail]"
	Account  = "[số tài khoản]"
)

var (
	emailPattern    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	passportPattern = regexp.MustCompile(`\b[A-Za-z][0-9]{7}\b`)
	// A number written with single spaces, dots or dashes between its digits, maybe after a +.
	numberPattern = regexp.MustCompile(`\+?[0-9](?:[ .\-]?[0-9])+`)
	// A procedure code (1.000894) or a sum written in thousands (1.500.000): never data.
	codePattern = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)
	sumPattern  = regexp.MustCompile(`^[1-9][0-9]{0,2}(?:[.,][0-9]{3})+$`)
)

// Words before a number that say what it is (folded, without diacritics).
var (
	idWords      = []string{"cccd", "can cuoc", "cmnd", "chung minh", "cmt", "dinh danh", "id"}
	passWords    = []string{"ho chieu", "passport"}
	phoneWords   = []string{"dien thoai", "sdt", "dt", "phone", "zalo", "goi", "hotline", "so may", "lien he"}
	accountWords = []string{"tai khoan", "stk", "so tk", "account", "the atm", "so the", "ngan hang"}
	// Words after a number that make it a sum of money or a count.
	moneyWords = []string{"d", "dong", "vnd", "k", "nghin", "ngan", "trieu", "tr", "ty", "usd", "ngay", "thang", "nam"}
)

// Text returns s with its personal data replaced by placeholders. It is idempotent.
func Text(s string) string {
	s = emailPattern.ReplaceAllString(s, Email)
	// A letter and seven digits is a passport number (a product code of that shape is rare in
	// questions to a public service).
	s = passportPattern.ReplaceAllString(s, Passport)
	var b strings.Builder
	last := 0
	for _, loc := range numberPattern.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		// Not inside a word or a longer token ("QH14", "123/2015").
		if start > 0 && isTokenByte(s[start-1]) || end < len(s) && isTokenByte(s[end]) {
			continue
		}
		kind := classify(s[start:end], context(s[:start], 28), following(s[end:]))
		if kind == "" {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(kind)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isTokenByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '/' || c == '_'
}

// classify says which placeholder replaces number (as written), given the folded words
// before it and the first word after it; "" keeps it.
func classify(number, before, after string) string {
	if codePattern.MatchString(number) {
		return ""
	}
	if sumPattern.MatchString(number) && !strings.HasPrefix(number, "0") {
		return ""
	}
	if containsWord(moneyWords, after) {
		return ""
	}
	plus := strings.HasPrefix(number, "+")
	var digits strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	n := len(d)
	switch {
	case anyWord(before, accountWords) && n >= 6:
		return Account
	case anyWord(before, passWords) && n >= 7 && n <= 9:
		return Passport
	case anyWord(before, phoneWords) && n >= 9 && n <= 12:
		return Phone
	case anyWord(before, idWords) && n == 12:
		return CCCD
	case anyWord(before, idWords) && n == 9:
		return CMND
	}
	switch {
	case (plus || n == 11) && strings.HasPrefix(d, "84") && n == 11 && strings.ContainsRune("35789", rune(d[2])):
		return Phone
	case plus && n >= 9:
		return Phone
	case strings.HasPrefix(d, "0") && n == 10 && strings.ContainsRune("35789", rune(d[1])):
		return Phone
	case strings.HasPrefix(d, "02") && n == 11:
		return Phone
	case strings.HasPrefix(d, "0") && n == 12:
		return CCCD
	case strings.HasPrefix(d, "0") && n == 9:
		return CMND
	case n >= 13 && n <= 19:
		return Account
	}
	return ""
}

// context returns the last n bytes of s after its last placeholder (whose words say
// nothing of what follows), folded to lower case without diacritics.
func context(s string, n int) string {
	if i := strings.LastIndexByte(s, ']'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > n {
		s = s[len(s)-n:]
		for len(s) > 0 && s[0]&0xC0 == 0x80 { // do not start inside a character
			s = s[1:]
		}
	}
	return " " + strings.Join(folded(s), " ") + " "
}

// following returns the first word of s, folded.
func following(s string) string {
	words := folded(s)
	if len(words) == 0 {
		return ""
	}
	return words[0]
}

func folded(s string) []string {
	words := vntext.Words(s)
	for i, w := range words {
		words[i] = vntext.Fold(w)
	}
	return words
}

func anyWord(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, " "+w+" ") {
			return true
		}
	}
	return false
}

func containsWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// ID returns a short, stable stand-in for an identifier that works as a bearer token (a
// conversation or message id), for logs: the same id gives the same stand-in, and the id
// cannot be read back from it.
func ID(id string) string {
	if id == "" {
		return ""
	}
	h := sha256.Sum256([]byte("thutuc-log:" + id))
	return hex.EncodeToString(h[:4])
}

var placeholders = strings.NewReplacer(CCCD, " ", CMND, " ", Passport, " ", Phone, " ", Email, " ", Account, " ")

// Without returns s without the placeholders Text put in it: what a search should read, since
// a placeholder's words ("số điện thoại") are not what the message asks about.
func Without(s string) string { return placeholders.Replace(s) }
