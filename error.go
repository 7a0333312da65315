package thutuc

import (
	"errors"
	"fmt"
)

// Error codes. Each layer wraps what it knows into one of these so that the HTTP layer can map
// an error to a status in one place.
const (
	EINVALID     = "invalid"     // the request is wrong: 400
	ENOTFOUND    = "not_found"   // 404
	ECONFLICT    = "conflict"    // 409, e.g. the store was filled by another embedder
	ETOOLARGE    = "too_large"   // 413
	EUNAVAILABLE = "unavailable" // a dependency (database, LLM) is down: 503
	EINTERNAL    = "internal"    // 500
)

// Error is an application error with a code and a message safe to show to users.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("thutuc error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic message
// (internal details are logged, not shown).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Lỗi nội bộ. Vui lòng thử lại sau."
}
