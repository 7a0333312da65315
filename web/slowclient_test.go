package web_test

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/thutuc/thutuc/web"
)

// A client that sends its request slowly, or stops half-way, loses the connection after the
// read timeout instead of holding it for good.
func TestSlowClientLosesConnection(t *testing.T) {
	const timeout = 300 * time.Millisecond
	srv := web.New(web.Config{ChatPerMinute: -1, ReadTimeout: timeout}, nil, nil, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, "127.0.0.1:0", func(a string) { addr <- a }) }()
	t.Cleanup(func() { cancel(); <-done })
	base := <-addr
	for _, tc := range []struct{ name, sent string }{
		{"headers never end", "GET /v1/procedures HTTP/1.1\r\nHost: x\r\n"},
		{"body never ends", "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":"},
		{"nothing sent", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", base)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tc.sent); err != nil {
				t.Fatal(err)
			}
			// The server answers (an error) or closes; either way the read ends.
			c.SetReadDeadline(time.Now().Add(timeout + 3*time.Second))
			start := time.Now()
			_, err = io.ReadAll(c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("the connection was still open after %v", time.Since(start).Round(time.Millisecond))
			}
		})
	}
}
