package web

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	l := newLimiter(2, time.Minute, 3)
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a", now); ok != want {
			t.Errorf("request %d of a: %v, want %v", i+1, ok, want)
		}
	}
	if ok, wait := l.allow("a", now.Add(20*time.Second)); ok || wait != 40*time.Second {
		t.Errorf("a later in the window: %v, wait %v; want refused for 40s", ok, wait)
	}
	// Past maxKeys clients, new ones share one count; the ones counted keep theirs.
	l.allow("b", now)
	l.allow("c", now)
	if ok, _ := l.allow("d", now); !ok {
		t.Error("d, the first client past the bound, refused")
	}
	if ok, _ := l.allow("e", now); !ok {
		t.Error("e refused: the shared count allows two")
	}
	if ok, _ := l.allow("f", now); ok {
		t.Error("f allowed: the shared count is spent")
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Error("b refused: its own count is not spent")
	}
	if len(l.counts) > 4 {
		t.Errorf("%d counts kept, want at most maxKeys + the shared one", len(l.counts))
	}
	// A new window starts afresh.
	if ok, _ := l.allow("a", now.Add(time.Minute)); !ok {
		t.Error("a refused in a new window")
	}
	if unlimited := newLimiter(0, time.Minute, 3); !func() bool { ok, _ := unlimited.allow("a", now); return ok }() {
		t.Error("a limit of 0 refused")
	}
}

func TestClientKey(t *testing.T) {
	for _, tt := range []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"not an address", "not an address"},
	} {
		if got := clientKey(tt.ip); got != tt.want {
			t.Errorf("clientKey(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

// BenchmarkLimiter measures a request's cost with one client and with 100,000 distinct ones.
func BenchmarkLimiter(b *testing.B) {
	for _, keys := range []int{1, 100_000} {
		names := make([]string, keys)
		for i := range names {
			names[i] = fmt.Sprintf("198.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		}
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			l := newLimiter(1<<30, time.Hour, maxLimiterKeys)
			now := time.Now()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				l.allow(names[i%keys], now)
			}
		})
	}
}
