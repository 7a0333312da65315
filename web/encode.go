package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/redact"
)

// statusOf maps an application error code to an HTTP status: the one place where this happens.
func statusOf(code string) int {
	switch code {
	case thutuc.EINVALID:
		return http.StatusBadRequest
	case thutuc.ENOTFOUND:
		return http.StatusNotFound
	case thutuc.ECONFLICT:
		return http.StatusConflict
	case thutuc.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case thutuc.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type errorJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func errorBody(code, message string) errorJSON {
	var e errorJSON
	e.Error.Code, e.Error.Message = code, message
	return e
}

// classify returns the code and status of err: a passed deadline for the database is the
// database being unavailable. A 503 tells the client when to retry.
func (s *Server) classify(c *gin.Context, err error) (string, int, error) {
	code := thutuc.ErrorCode(err)
	if code == thutuc.EINTERNAL && errors.Is(err, context.DeadlineExceeded) {
		code, err = thutuc.EUNAVAILABLE, fmt.Errorf("%w (cause: %v)", thutuc.Errorf(thutuc.EUNAVAILABLE,
			"Cơ sở dữ liệu tạm thời không trả lời kịp. Vui lòng thử lại sau ít phút."), err)
	}
	status := statusOf(code)
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	return code, status, err
}

// logFailure logs a failed request: an internal error in full, a database outage once when
// it begins (its end is logged by logRequests, with the count).
func (s *Server) logFailure(c *gin.Context, code string, status int, err error) {
	switch {
	case status == http.StatusServiceUnavailable && code == thutuc.EUNAVAILABLE:
		if s.outage.fail(time.Now()) {
			s.logger.Error("database unavailable: answering 503 until it returns", "path", c.Request.URL.Path, "err", redact.Text(err.Error()))
		}
	case status >= 500:
		// An error may quote the query it failed on: its personal data stays out of the log.
		s.logger.Error("request failed", "path", c.Request.URL.Path, "code", code, "err", redact.Text(err.Error()))
	}
}

// fail writes err as the JSON error body with its status, logging internal errors in full.
func (s *Server) fail(c *gin.Context, err error) {
	code, status, err := s.classify(c, err)
	s.logFailure(c, code, status, err)
	c.AbortWithStatusJSON(status, errorBody(code, thutuc.ErrorMessage(err)))
}

// decode reads a JSON request body into v: at most Config.MaxBodyBytes, no unknown fields, one
// value only.
func (s *Server) decode(c *gin.Context, v any) error {
	// Required, not only checked when given: a cross-site "simple" request (a form, or text/plain
	// or no type at all) must not pass for JSON.
	if ct := c.ContentType(); ct != "application/json" {
		return thutuc.Errorf(thutuc.EINVALID, "Content-Type phải là application/json.")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooLarge):
			return thutuc.Errorf(thutuc.ETOOLARGE, "Nội dung gửi lên quá lớn (tối đa %d byte).", s.cfg.MaxBodyBytes)
		case errors.Is(err, io.EOF):
			return thutuc.Errorf(thutuc.EINVALID, "Thiếu nội dung JSON.")
		case errors.As(err, &syntax):
			return thutuc.Errorf(thutuc.EINVALID, "JSON không hợp lệ ở vị trí %d.", syntax.Offset)
		case errors.As(err, &typeErr):
			return thutuc.Errorf(thutuc.EINVALID, "Trường %q có kiểu không hợp lệ.", typeErr.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return thutuc.Errorf(thutuc.EINVALID, "Trường không được hỗ trợ: %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return thutuc.Errorf(thutuc.EINVALID, "JSON không hợp lệ: %v", err)
	}
	if dec.More() {
		return thutuc.Errorf(thutuc.EINVALID, "Chỉ gửi một đối tượng JSON.")
	}
	return checkStrings(v)
}

// respond writes v as JSON with status.
func respond(c *gin.Context, status int, v any) {
	c.JSON(status, v)
}

// sse writes server-sent events. Before the first event an error can still be a JSON error
// response with its status; after it, errors travel as an "error" event.
type sse struct {
	c       *gin.Context
	started bool
}

// send writes one event and flushes it.
func (e *sse) send(name string, data any) error {
	if !e.started {
		h := e.c.Writer.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Connection", "keep-alive")
		h.Set("X-Accel-Buffering", "no")
		e.c.Status(http.StatusOK)
		e.started = true
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", name, err)
	}
	if _, err := fmt.Fprintf(e.c.Writer, "event: %s\ndata: %s\n\n", name, b); err != nil {
		return err
	}
	e.c.Writer.Flush()
	return nil
}

// fail reports err: as a JSON error response if nothing was sent yet, else as an error event.
func (e *sse) fail(s *Server, err error) {
	if !e.started {
		s.fail(e.c, err)
		return
	}
	code := thutuc.ErrorCode(err)
	if statusOf(code) >= 500 {
		s.logger.Error("stream failed", "path", e.c.Request.URL.Path, "code", code, "err", err)
	}
	_ = e.send("error", errorBody(code, thutuc.ErrorMessage(err)).Error)
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}
