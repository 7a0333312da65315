package web

import (
	"log/slog"
	"sync"
	"time"
)

// outage tracks a database outage so that it is logged once when it begins and once when it
// ends, with the number of requests it failed, instead of once per request.
type outage struct {
	mu     sync.Mutex
	since  time.Time // zero: no outage
	failed int
}

// fail records a request that failed because the database is unavailable; it reports whether
// this failure begins an outage (the caller logs it).
func (o *outage) fail(now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failed++
	if !o.since.IsZero() {
		return false
	}
	o.since = now
	return true
}

// ok records a request the database served, logging the end of an outage.
func (o *outage) ok(now time.Time, log *slog.Logger) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.since.IsZero() {
		return
	}
	log.Warn("database available again", "outage", now.Sub(o.since).Round(time.Millisecond).String(), "failed_requests", o.failed)
	o.since, o.failed = time.Time{}, 0
}
