package web

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// maxLimiterKeys bounds the clients a limiter counts in one window (a few MB).
const maxLimiterKeys = 100_000

// limiter counts requests per client in fixed windows shared by all clients. Each request
// costs one map lookup; a new window drops the old counts at once. Memory is bounded: past
// maxKeys clients in a window, new ones share one count (a flood of addresses slows itself,
// and the clients already counted are not affected).
type limiter struct {
	mu      sync.Mutex
	limit   int // 0: no limit
	window  time.Duration
	maxKeys int
	start   time.Time
	counts  map[string]int
}

func newLimiter(limit int, window time.Duration, maxKeys int) *limiter {
	return &limiter{limit: limit, window: window, maxKeys: maxKeys, counts: map[string]int{}}
}

// overflowKey is the count shared by the clients past maxKeys.
const overflowKey = "\x00overflow"

// allow counts one request for key and reports whether it is within the limit, and if not,
// how long until the window ends.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l.limit <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window || now.Before(l.start) {
		l.start, l.counts = now, make(map[string]int, len(l.counts))
	}
	n, ok := l.counts[key]
	if !ok && len(l.counts) >= l.maxKeys {
		key = overflowKey
		n = l.counts[key]
	}
	n++
	l.counts[key] = n
	if n > l.limit {
		return false, l.start.Add(l.window).Sub(now)
	}
	return true, 0
}

// perMinute is a configured limit: 0 takes the default, a negative value disables it.
func perMinute(configured, def int) int {
	switch {
	case configured == 0:
		return def
	case configured < 0:
		return 0
	}
	return configured
}

// clientKey is what a client is counted by: its address, or for IPv6 its /64 network (one
// subscriber's whole range).
func clientKey(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil || addr.To4() != nil {
		return ip
	}
	return addr.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

var limitMessages = map[string]string{
	"chat":     "Bạn gửi quá nhiều câu hỏi trong thời gian ngắn. Vui lòng đợi một chút rồi thử lại.",
	"search":   "Bạn tìm kiếm quá nhiều lần trong thời gian ngắn. Vui lòng đợi một chút rồi thử lại.",
	"feedback": "Bạn gửi quá nhiều đánh giá trong thời gian ngắn. Vui lòng đợi một chút rồi thử lại.",
}

// rateLimit answers 429 with Retry-After to a client past the limit of the route group. The
// client is the connection's peer unless it is a trusted proxy (Config.TrustedProxies).
func (s *Server) rateLimit(group string) gin.HandlerFunc {
	l := s.limits[group]
	return func(c *gin.Context) {
		ok, wait := l.allow(clientKey(c.ClientIP()), time.Now())
		if !ok {
			s.cfg.Metrics.Limited(group)
			c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			c.AbortWithStatusJSON(http.StatusTooManyRequests, errorBody("rate_limited", limitMessages[group]))
			return
		}
		c.Next()
	}
}
