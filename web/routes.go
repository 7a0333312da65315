package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes registers every route of the service.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	if s.cfg.Metrics != nil {
		r.GET("/metrics", gin.WrapH(s.cfg.Metrics.Handler()))
	}

	v1 := r.Group("/v1")
	v1.POST("/search", s.rateLimit("search"), s.handleSearch)
	v1.GET("/documents", s.handleDocuments)
	v1.GET("/documents/:id", s.handleDocument)
	v1.GET("/facets", s.handleFacets)
	v1.POST("/chat", s.rateLimit("chat"), s.handleChat)
	v1.POST("/feedback", s.rateLimit("feedback"), s.handleFeedback)
	v1.GET("/stats", s.handleStats)

	s.pageRoutes(r)
	if s.cfg.AdminToken != "" {
		admin := r.Group("/admin", s.requireAdmin())
		admin.GET("", s.handleAdmin)
		admin.GET("/export.csv", s.handleAdminCSV)
	}

	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, errorBody("not_found", "Không tìm thấy đường dẫn này."))
	})
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) {
		c.JSON(http.StatusMethodNotAllowed, errorBody("method_not_allowed", "Phương thức không được hỗ trợ cho đường dẫn này."))
	})
}

// pageRoutes registers the human-facing pages: the portal demo with the widget, checklists and
// the officer lookup.
func (s *Server) pageRoutes(r *gin.Engine) {
	assets := newAssets()
	r.GET("/widget.js", assets.serve("widget.js"))
	r.HEAD("/widget.js", assets.serve("widget.js"))
	r.GET("/openapi.json", assets.serve("openapi.json")) // the API's description (OpenAPI 3.1)
	r.GET("/static/:name", func(c *gin.Context) { assets.serve(c.Param("name"))(c) })
	r.GET("/", s.handlePortal)
	r.GET("/checklist/:id", s.handleChecklist)
	r.GET("/checklist/:id/qr.svg", s.handleChecklistQR) // ?truong-hop=N as for the checklist
	r.GET("/tra-cuu", s.handleLookup)
	r.GET("/tra-cuu/:id", s.handleSheet)
}
