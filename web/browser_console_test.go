package web_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// console opens the content team's console with its token, over the seeded day, and checks
// that it shows the tables and the chart within the screen.
func (b *browserTest) console(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	// Without the token the browser is challenged for it (headless, it cannot answer: the
	// navigation fails on the credentials) and gets no page.
	if err := chromedp.Do(ctx, chromedp.Navigate(b.admin+"/admin")); err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Errorf("the console without the token: %v, want the browser challenged for credentials", err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:browser-token"))
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": auth}}); err != nil {
		t.Fatalf("set the token: %v", err)
	}
	defer chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{}})
	run(t, ctx, "open the console", chromedp.Navigate(b.admin+"/admin"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if n := eval[int](t, ctx, `document.querySelectorAll('.admin-table tbody tr').length`); n < 5 {
		t.Errorf("the console's tables have %d rows, want the seeded questions and procedures", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('.admin-table tbody td').textContent`); got != "thủ tục xin học bổng du học" {
		t.Errorf("first unanswered question %q", got)
	}
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
		t.Errorf("the console is wider than the %d px screen", sc.width)
	}
	b.screenshot(t, ctx, "admin-console", sc, true)
}
