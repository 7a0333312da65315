package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// pageRoutes registers the human-facing pages: the portal demo with the widget, checklists and
// the officer lookup.
func (s *Server) pageRoutes(r *gin.Engine) {
	r.GET("/", func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<!doctype html><title>thutuc</title><p>thutuc</p>"))
	})
}
