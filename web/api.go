package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
)

// handleHealthz says the process is up; it does not look at the database.
func (s *Server) handleHealthz(c *gin.Context) {
	respond(c, http.StatusOK, gin.H{"status": "ok"})
}

// handleReadyz says whether requests can be served: database reachable, schema current.
func (s *Server) handleReadyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := s.db.Ready(ctx); err != nil {
		s.fail(c, err)
		return
	}
	// Ready means a search answers at once: the lexical index is built (or is built now, which
	// for the whole catalog may outlast this request's time limit).
	if err := s.searcher.Warm(ctx); err != nil {
		if ctx.Err() != nil {
			err = thutuc.Errorf(thutuc.EUNAVAILABLE, "Đang nạp chỉ mục tìm kiếm, vui lòng thử lại sau ít giây.")
		}
		s.fail(c, err)
		return
	}
	respond(c, http.StatusOK, gin.H{"status": "ready"})
}

func (s *Server) handleSearch(c *gin.Context) {
	var q retrieval.Query
	if err := s.decode(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	resp, err := s.searcher.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp.Results = resolve.OnePerCode(resp.Results)
	respond(c, http.StatusOK, resp)
}

// filterFromQuery reads the filter query parameters shared by listings.
func filterFromQuery(c *gin.Context) thutuc.Filter {
	return thutuc.Filter{
		Kind: c.Query("kind"), Level: c.Query("level"), Field: c.Query("field"),
		Agency: c.Query("agency"), Locality: c.Query("locality"),
	}
}

func intQuery(c *gin.Context, name string, def, min, max int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, thutuc.Errorf(thutuc.EINVALID, "%s phải là số nguyên từ %d đến %d.", name, min, max)
	}
	return n, nil
}

func (s *Server) handleDocuments(c *gin.Context) {
	limit, err := intQuery(c, "limit", 50, 1, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	offset, err := intQuery(c, "offset", 0, 0, 1<<30)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := filterFromQuery(c)
	if f.Kind != "" && f.Kind != thutuc.KindProcedure && f.Kind != thutuc.KindRegulation {
		s.fail(c, thutuc.Errorf(thutuc.EINVALID, "kind phải là procedure hoặc regulation."))
		return
	}
	docs, total, err := s.db.Documents(c.Request.Context(), postgres.DocumentFilter{Filter: f, Limit: limit, Offset: offset})
	if err != nil {
		s.fail(c, err)
		return
	}
	if docs == nil {
		docs = []thutuc.DocumentSummary{}
	}
	respond(c, http.StatusOK, gin.H{"documents": docs, "total": total, "limit": limit, "offset": offset})
}

func (s *Server) handleDocument(c *gin.Context) {
	doc, err := s.db.Document(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	respond(c, http.StatusOK, doc)
}

func (s *Server) handleFacets(c *gin.Context) {
	f, err := s.db.Facets(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	respond(c, http.StatusOK, f)
}

// handleChat answers one message, as JSON or, when the client accepts text/event-stream, as
// server-sent events (meta, delta…, citations, done; or error).
func (s *Server) handleChat(c *gin.Context) {
	var req chat.Request
	if err := s.decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if !strings.Contains(c.GetHeader("Accept"), "text/event-stream") {
		resp, err := s.chat.Answer(c.Request.Context(), req, nil)
		if err != nil {
			s.fail(c, err)
			return
		}
		respond(c, http.StatusOK, resp)
		return
	}
	stream := &sse{c: c}
	_, err := s.chat.Answer(c.Request.Context(), req, func(ev chat.Event) error {
		return stream.send(ev.Name, ev.Data)
	})
	if err != nil {
		if errors.Is(err, context.Canceled) || c.Request.Context().Err() != nil {
			return // the client went away: nothing to tell it
		}
		stream.fail(s, err)
	}
}

func (s *Server) handleFeedback(c *gin.Context) {
	var f chat.Feedback
	if err := s.decode(c, &f); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.chat.Feedback(c.Request.Context(), f); err != nil {
		s.fail(c, err)
		return
	}
	respond(c, http.StatusCreated, gin.H{"status": "recorded"})
}

func (s *Server) handleStats(c *gin.Context) {
	st, err := s.chat.Stats(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	respond(c, http.StatusOK, st)
}
