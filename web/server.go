// Package web is the HTTP side of the service (gin): the JSON API, server-sent events for
// streamed answers, and the pages (portal demo, widget, checklists, officer lookup). All routes
// are registered in routes.go; requests are decoded and errors mapped to statuses in one place
// (encode.go).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/metrics"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

// Config tunes the HTTP layer. It is parsed once in cmd/.
type Config struct {
	MaxBodyBytes      int64    // request body limit (default 64 KiB)
	CORSOrigins       []string // portal origins allowed to call the API from a browser
	ChatPerMinute     int      // chat requests per client per minute (default 30; < 0 disables)
	SearchPerMinute   int      // search requests per client per minute (default 120; < 0 disables)
	FeedbackPerMinute int      // feedback requests per client per minute (default 10; < 0 disables)
	// TrustedProxies are the addresses or CIDR ranges of the reverse proxies in front of the
	// service: only from them is X-Forwarded-For believed. None by default: the client is the
	// connection's peer.
	TrustedProxies []string
	PublicURL      string // absolute base URL the service is reached at ("": links stay relative, never from Host)
	// DBTimeout bounds the database work of one request (default 3 s): a frozen or unreachable
	// database gives 503 with Retry-After within it. Chat bounds its own database steps (its
	// answer may stream from an LLM for longer).
	DBTimeout time.Duration
	// AdminToken opens the content team's console at /admin to whoever presents it; ""
	// leaves the console out.
	AdminToken string
	// Metrics, when set, records every request and is served at /metrics.
	Metrics *metrics.Metrics
	// ReadTimeout bounds the reading of one request, headers and body (default 30 s; headers
	// alone within 10 s or within it if less): a slow client cannot hold a connection.
	ReadTimeout time.Duration
	// Now is today's clock for pages that say whether a rule still holds (default time.Now).
	Now func() time.Time
}

// Server serves the API and pages.
type Server struct {
	cfg      Config
	db       *postgres.DB
	searcher *retrieval.Searcher
	chat     *chat.Service
	logger   *slog.Logger
	engine   *gin.Engine
	limits   map[string]*limiter // by route group: chat, search, feedback
	outage   outage
}

// New returns a server over the given store, searcher and chat service.
func New(cfg Config, db *postgres.DB, searcher *retrieval.Searcher, chatSvc *chat.Service, logger *slog.Logger) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}

	if cfg.DBTimeout <= 0 {
		cfg.DBTimeout = chat.DefaultDBTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if logger == nil {
		logger = slog.Default()
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{cfg: cfg, db: db, searcher: searcher, chat: chatSvc, logger: logger, engine: gin.New(),
		limits: map[string]*limiter{
			"chat":     newLimiter(perMinute(cfg.ChatPerMinute, 30), time.Minute, maxLimiterKeys),
			"search":   newLimiter(perMinute(cfg.SearchPerMinute, 120), time.Minute, maxLimiterKeys),
			"feedback": newLimiter(perMinute(cfg.FeedbackPerMinute, 10), time.Minute, maxLimiterKeys),
		}}
	// gin believes every proxy by default: any client could then choose its address.
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		logger.Error("trusted proxies: trusting none", "err", err)
		_ = s.engine.SetTrustedProxies(nil)
	}
	s.engine.Use(s.recover(), s.logRequests(), s.cors(), s.checkParams(), s.deadline())
	s.routes(s.engine)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// recover turns a panic into a logged 500 with the usual JSON error body.
func (s *Server) recover() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				s.logger.Error("panic", "path", c.Request.URL.Path, "panic", v)
				if !c.Writer.Written() {
					c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody("internal", "Lỗi nội bộ. Vui lòng thử lại sau."))
				}
			}
		}()
		c.Next()
	}
}

// deadline gives each request but chat's a deadline for its database work.
func (s *Server) deadline() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.URL.Path == "/v1/chat" {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.DBTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if st := c.Writer.Status(); st < 500 && c.Request.URL.Path != "/healthz" {
			s.outage.ok(time.Now(), s.logger)
		}
		took := time.Since(start)
		s.cfg.Metrics.Request(c.FullPath(), c.Request.Method, c.Writer.Status(), took)
		s.logger.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "duration_ms", took.Milliseconds())
	}
}

// cors allows the configured portal origins, and only them, to call the API from a browser.
func (s *Server) cors() gin.HandlerFunc {
	allowed := map[string]bool{}
	for _, o := range s.cfg.CORSOrigins {
		allowed[o] = true
	}
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin != "" && (allowed[origin] || allowed["*"]) {
			h := c.Writer.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept")
			h.Set("Access-Control-Max-Age", "600")
			// The widget honours Retry-After on 429 and 503; other origins see it only when exposed.
			h.Set("Access-Control-Expose-Headers", "Retry-After")
			if c.Request.Method == http.MethodOptions {
				c.AbortWithStatus(http.StatusNoContent)
				return
			}
		} else if origin != "" && c.Request.Method == http.MethodOptions {
			c.AbortWithStatusJSON(http.StatusForbidden, errorBody("forbidden", "Nguồn gọi (origin) này chưa được cho phép."))
			return
		}
		c.Next()
	}
}

// Run serves on addr until ctx is done, then shuts down gracefully.
func (s *Server) Run(ctx context.Context, addr string, ready func(addr string)) error {
	// A slow client may not hold a connection: headers within 10 s, the whole request within
	// the read timeout, and an idle keep-alive connection closes after 2 minutes. No write
	// timeout: chat answers stream for as long as the LLM writes (its own limit bounds them).
	srv := &http.Server{Handler: s, ReadHeaderTimeout: min(10*time.Second, s.cfg.ReadTimeout), ReadTimeout: s.cfg.ReadTimeout, IdleTimeout: 2 * time.Minute}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// now is the time by the configured clock.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}
