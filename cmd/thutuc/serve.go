package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/metrics"
	"github.com/thutuc/thutuc/web"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	port := getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := fs.String("addr", ":"+port, "listen address")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	m := metrics.New()
	a.searcher.OnLexicalBuild, a.searcher.OnSearch = m.IndexBuild, m.Search
	chatSvc, err := a.chatService(m)
	if err != nil {
		return err
	}
	// The database may be down at start: serve anyway (readyz and the API answer 503) and keep
	// trying to migrate until it is back.
	go func() {
		a.migrateUntilDone(ctx)
		// Build the lexical index now rather than in the first search (the whole catalog
		// takes a few seconds). A failure is not fatal: the first search retries.
		if err := a.searcher.Warm(ctx); err != nil && ctx.Err() == nil {
			a.logger.Warn("lexical index", "err", err)
		}
	}()
	go purgeConversations(ctx, chatSvc, a)
	for _, p := range cfg.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("THUTUC_TRUSTED_PROXIES: %q is neither an address nor a CIDR range", p)
			}
		}
	}
	if u, err := url.Parse(cfg.PublicURL); cfg.PublicURL != "" && (err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		return fmt.Errorf("THUTUC_PUBLIC_URL: %q is not an absolute http(s) URL", cfg.PublicURL)
	}
	// web.Config: negative disables a limit, zero means its default.
	off := func(n int) int {
		if n == 0 {
			return -1
		}
		return n
	}
	srv := web.New(web.Config{CORSOrigins: cfg.CORSOrigins, ChatPerMinute: off(cfg.ChatPerMinute), SearchPerMinute: off(cfg.SearchPerMinute),
		FeedbackPerMinute: off(cfg.FeedbackPerMinute), TrustedProxies: cfg.TrustedProxies, PublicURL: cfg.PublicURL, Metrics: m, AdminToken: cfg.AdminToken}, a.db, a.searcher, chatSvc, a.logger)
	return srv.Run(ctx, *addr, func(bound string) {
		a.logger.Info("serving", "addr", bound, "embedder", a.embedder.Name())
		fmt.Fprintf(stdout, "thutuc serving on http://%s\n", bound)
	})
}

// migrateUntilDone applies migrations, retrying with backoff while the database is unreachable.
func (a *app) migrateUntilDone(ctx context.Context) {
	wait := time.Second
	for {
		err := a.db.Migrate(ctx)
		if err == nil {
			return
		}
		a.logger.Warn("migrate failed; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if wait < 30*time.Second {
			wait *= 2
		}
	}
}

// purgeConversations deletes expired conversations (the retention period) every hour.
func purgeConversations(ctx context.Context, svc *chat.Service, a *app) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := svc.PurgeExpired(ctx); err != nil {
			a.logger.Warn("purge expired conversations", "err", err)
		} else if n > 0 {
			a.logger.Info("purged expired conversations", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
