package thutuc

import (
	"strings"
	"unicode/utf8"
)

// CheckText returns an EINVALID error naming the field when s is not text Postgres can store:
// invalid UTF-8, or a NUL character. Every text input is checked at the edge with it.
func CheckText(field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return Errorf(EINVALID, "%s không phải văn bản UTF-8 hợp lệ.", field)
	case strings.ContainsRune(s, 0):
		return Errorf(EINVALID, "%s chứa ký tự NUL (\\u0000), không được phép.", field)
	}
	return nil
}
