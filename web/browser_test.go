package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/web"
)

// Screen sizes the pages are checked at.
var (
	desktop = screen{"desktop", 1280, 800, false}
	phone   = screen{"phone", 390, 844, true}
)

type screen struct {
	name          string
	width, height int64
	mobile        bool
}

// TestBrowser drives the real server in headless Chromium: the portal and its widget (a
// streamed answer with citations, a clarification, feedback, a reload, its error states, the
// focus kept in it full screen on a phone), the checklist on screen and in print, and the
// officer lookup. Screenshots go to test-artifacts/ at the repository root.
func TestBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed: run scripts/browser.sh ensure (make test does)")
	}
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	svc := chat.New(chat.Config{Searcher: searcher, DB: db})
	srv := httptest.NewServer(web.New(web.Config{ChatPerMinute: -1}, db, searcher, svc, nil))
	t.Cleanup(srv.Close)
	// The server with its public URL set, for the checklists' QR codes.
	public := httptest.NewUnstartedServer(nil)
	public.Config.Handler = web.New(web.Config{ChatPerMinute: -1, PublicURL: "http://" + public.Listener.Addr().String()}, db, searcher, svc, nil)
	public.Start()
	t.Cleanup(public.Close)
	// A server that allows one question a minute, for the widget's rate-limit state.
	limited := httptest.NewServer(web.New(web.Config{ChatPerMinute: 1}, db, searcher, svc, nil))
	t.Cleanup(limited.Close)
	// The server again, whose chat fails on demand, for the widget's other error states.
	// The console, over a seeded day of traffic.
	seedDay(t, svc)
	admin := httptest.NewServer(web.New(web.Config{ChatPerMinute: -1, AdminToken: "browser-token"}, db, searcher, svc, nil))
	t.Cleanup(admin.Close)
	faults := &chatFaults{next: srv.Config.Handler}
	flaky := httptest.NewServer(faults)
	t.Cleanup(flaky.Close)

	b := &browserTest{t: t, base: srv.URL, public: public.URL, limited: limited.URL, flaky: flaky.URL, faults: faults, admin: admin.URL,
		artifacts: filepath.Join(ingesttest.Root(t), "test-artifacts")}
	if err := os.MkdirAll(b.artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	b.start(chromium)

	// The whole run is bounded; each step has its own, shorter bound.
	ctx, cancel := context.WithTimeout(b.ctx, 150*time.Second)
	defer cancel()
	for _, sc := range []screen{desktop, phone} {
		tab, closeTab := b.tab(ctx, sc)
		t.Run("widget "+sc.name, func(t *testing.T) { b.widget(t, tab, sc) })
		t.Run("answer shape "+sc.name, func(t *testing.T) { b.answerShape(t, tab, sc) })
		if sc.mobile {
			t.Run("widget focus trap", func(t *testing.T) { b.widgetFocusTrap(t, tab, sc) })
		} else {
			t.Run("widget error states", func(t *testing.T) { b.widgetErrors(t, tab, sc) })
			t.Run("widget unavailable", func(t *testing.T) { b.widgetUnavailable(t, tab, sc) })
			t.Run("widget refused", func(t *testing.T) { b.widgetRefused(t, tab, sc) })
		}
		t.Run("checklist "+sc.name, func(t *testing.T) { b.checklist(t, tab, sc) })
		t.Run("checklist case "+sc.name, func(t *testing.T) { b.checklistCase(t, tab, sc) })
		t.Run("lookup "+sc.name, func(t *testing.T) { b.lookup(t, tab, sc) })
		if !sc.mobile {
			t.Run("admin console", func(t *testing.T) { b.console(t, tab, sc) })
		}
		closeTab()
	}
	b.checkPageErrors()
}

type browserTest struct {
	t         *testing.T
	base      string // the server
	public    string // the server with its public URL set
	limited   string // the same server allowing one chat message a minute
	flaky     string // the server behind faults
	admin     string // the server with the content team's console
	faults    *chatFaults
	artifacts string
	ctx       context.Context

	mu     sync.Mutex
	errors []string // uncaught exceptions and console/security errors seen in any tab
}

// start launches Chromium with a throwaway profile.
func (b *browserTest) start(chromium string) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(b.t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b.t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b.t.Cleanup(cancel)
	start, cancelStart := context.WithTimeout(ctx, 30*time.Second)
	defer cancelStart()
	// Start the browser with the untimed context: the first Run binds the browser's life to it.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("start chromium: %v", err)
	}
	// The copy-link buttons write to the clipboard; let the test origin do so.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(start, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: b.base,
		}); err != nil {
			b.t.Fatalf("grant %s: %v", name, err)
		}
	}
	b.ctx = ctx
}

// tab opens a new tab (so a fresh sessionStorage) sized as sc, recording page errors.
func (b *browserTest) tab(parent context.Context, sc screen) (context.Context, func()) {
	ctx, cancel := chromedp.NewContext(parent)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sc.width, sc.height, mobileOption(sc.mobile))); err != nil {
		b.t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		b.t.Fatalf("enable log: %v", err)
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	entries := chromedp.Events(ctx, cdplog.EntryAdded)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.pageError(sc.name + ": exception: " + exceptionText(ev.ExceptionDetails))
		}
	}()
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if e := ev.Entry; e != nil && e.Level == cdplog.EntryLevelError && !b.provoked(e) {
				b.pageError(fmt.Sprintf("%s: %s %s (%s)", sc.name, e.Source, e.Text, e.URL))
			}
		}
	}()
	return ctx, cancel
}

func mobileOption(mobile bool) chromedp.EmulateViewportOption {
	if mobile {
		return chromedp.EmulateMobile
	}
	return func(*emulation.SetDeviceMetricsOverrideParams, *emulation.SetTouchEmulationEnabledParams) {}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s at %s:%d", s, d.URL, d.LineNumber+1)
}

// provoked reports whether a console error is one the tests cause on purpose: Chromium logs
// every response with an error status, and the widget's error states need some, as does the
// console refused without its token.
func (b *browserTest) provoked(e *cdplog.Entry) bool {
	return strings.Contains(e.Text, "status of 429") || e.URL == b.flaky+"/v1/chat" ||
		strings.Contains(e.Text, "status of 401") && strings.HasPrefix(e.URL, "chrome-error://")
}

func (b *browserTest) pageError(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, s)
}

// checkPageErrors fails the test for script errors, CSP violations and failed requests the
// pages caused.
func (b *browserTest) checkPageErrors() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("page error: %s", e)
	}
}

// step bounds one step of a test.
func step(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 25*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// run runs actions, failing the test with what was being done.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression, awaiting a promise, into T.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if err != nil {
		t.Fatalf("evaluate %s: %v", trim(js), err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true, failing the test with what was awaited.
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// screenshot saves the viewport (or the full page) as test-artifacts/<name>-<screen>.png.
func (b *browserTest) screenshot(t *testing.T, ctx context.Context, name string, sc screen, full bool) {
	t.Helper()
	action := chromedp.CaptureScreenshot()
	if full {
		action = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.artifacts, name+"-"+sc.name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// In the widget's shadow root.
const (
	shadowJS = `document.querySelector('#thutuc-widget').shadowRoot`
	lastBot  = `Array.from(` + shadowJS + `.querySelectorAll('.msg.bot:not(.pending)')).pop()`
)

func inWidget(sel string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf("%s.querySelector(%q)", shadowJS, sel))
}

// botCount is the number of finished answers in the widget.
func botCount(t *testing.T, ctx context.Context) int {
	return eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.bot:not(.pending)').length`)
}

// ask types a question in the widget, sends it with Enter and waits for its answer.
func ask(t *testing.T, ctx context.Context, question string) {
	t.Helper()
	n := botCount(t, ctx)
	run(t, ctx, "type "+question, chromedp.SendKeys(inWidget("#tt-input"), question), pressEnter)
	waitAnswer(t, ctx, n)
}

// pressEnter presses Enter as a keyboard does: SendKeys("\n") also sends a char event, which
// types a new line even when the page handles and cancels the keydown (chromedp docs, §20).
var pressEnter = press("Enter", 13, 0)

// pressTab and pressShiftTab move the focus as the keys do (without a char event, which would
// type a tab into the question box).
var (
	pressTab      = press("Tab", 9, 0)
	pressShiftTab = press("Tab", 9, chromedp.ModifierShift)
)

// press presses and releases one key, with modifiers, without a char event.
func press(key string, keyCode int64, modifiers chromedp.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: key, Code: key, WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode, Modifiers: int64(modifiers),
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// waitAnswer waits until the widget shows more than n finished answers.
func waitAnswer(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	waitFor(t, ctx, "an answer", fmt.Sprintf(`%s.querySelectorAll('.msg.bot:not(.pending)').length > %d || !!%s.querySelector('.err')`, shadowJS, n, shadowJS))
	if msg := eval[string](t, ctx, `(`+shadowJS+`.querySelector('.err') || {}).textContent || ''`); msg != "" {
		t.Fatalf("the widget shows an error instead of an answer: %s", msg)
	}
}

func (b *browserTest) widget(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	run(t, ctx, "open the portal", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(inWidget(".bubble")))
	if sc.mobile {
		b.screenshot(t, ctx, "portal", sc, false)
	}
	run(t, ctx, "open the widget", chromedp.Click(inWidget(".bubble")), chromedp.WaitVisible(inWidget(".panel")))
	if got := eval[string](t, ctx, shadowJS+`.activeElement && `+shadowJS+`.activeElement.id`); got != "tt-input" {
		t.Errorf("opening the widget focuses %q, want the question box", got)
	}
	if n := eval[int](t, ctx, shadowJS+`.querySelectorAll('.chips .chip').length`); n != 4 {
		t.Errorf("%d starter chips, want 4", n)
	}
	if sc.mobile {
		// Full screen on a phone, and nothing wider than the screen.
		w := eval[float64](t, ctx, shadowJS+`.querySelector('.panel').getBoundingClientRect().width`)
		if w != float64(sc.width) {
			t.Errorf("panel is %.0f px wide on a %d px phone, want full width", w, sc.width)
		}
		// A starter chip asks its question.
		run(t, ctx, "tap a starter chip", chromedp.Click(inWidget(".chips .chip")))
		waitAnswer(t, ctx, 0)
	} else {
		ask(t, ctx, "lam ho chieu het bao nhieu tien")
	}
	b.checkPassportAnswer(t, ctx)
	b.screenshot(t, ctx, "widget-answer", sc, false)
	run(t, ctx, "scroll to the citations", chromedp.Evaluate[chromedp.Void](shadowJS+`.querySelector('.log').scrollTop = 1e6`))
	b.screenshot(t, ctx, "widget-citations", sc, false)
	if !sc.mobile {
		// Without navigator.share (desktop Chromium), "Chia sẻ" copies the checklist link.
		run(t, ctx, "share", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.acts button')`)))
		waitFor(t, ctx, "the share confirmation", lastBot+`.querySelector('.acts button').textContent === 'Đã sao chép liên kết'`)
		if got := eval[string](t, ctx, `navigator.clipboard.readText()`); got != b.base+"/checklist/cap-ho-chieu-pho-thong" {
			t.Errorf("shared %q, want the checklist link", got)
		}
	}

	// A greeting gets a short reply saying what the assistant does, then a question its answer.
	// (Clarification chips are covered by the chat tests: the resolver's model rarely clarifies
	// over the bundled corpus.)
	ctx = step(t, tab)
	ask(t, ctx, "xin chào")
	if status := eval[string](t, ctx, lastBot+`.dataset.status`); status != "greeting" {
		t.Fatalf("answer status %q, want greeting", status)
	}
	ask(t, ctx, "đăng ký kết hôn ở đâu")
	if status := eval[string](t, ctx, lastBot+`.dataset.status`); status != "answered" {
		t.Errorf("after the greeting: status %q, want answered", status)
	}

	// Feedback reaches the server.
	ctx = step(t, tab)
	before := b.feedbackCount(t)
	run(t, ctx, "send 👍", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.fb button[data-helpful="true"]')`)))
	waitFor(t, ctx, "the thank-you", lastBot+`.querySelector('.fb .thanks') !== null`)
	if after := b.feedbackCount(t); after != before+1 {
		t.Errorf("feedback recorded by the server: %d, want %d", after, before+1)
	}

	// A reload keeps the conversation (and the panel open).
	ctx = step(t, tab)
	users := eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.user').length`)
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(inWidget(".panel")))
	if got := eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.user').length`); got != users {
		t.Errorf("after reload: %d questions shown, want %d", got, users)
	}
	if !eval[bool](t, ctx, lastBot+`.querySelector('.fb .thanks') !== null`) {
		t.Error("after reload: the feedback state is lost")
	}
	if n := eval[int](t, ctx, shadowJS+`.querySelectorAll('.cites a').length`); n == 0 {
		t.Error("after reload: citations are lost")
	}

	// User text is text, never HTML.
	ask(t, ctx, `<img src=x onerror="window.pwned=1">hộ chiếu`)
	if eval[bool](t, ctx, shadowJS+`.querySelector('.msg.user img') !== null || window.pwned === 1`) {
		t.Error("a user message was inserted as HTML")
	}

	// Esc closes the panel and gives focus back to the bubble.
	run(t, ctx, "press Esc", chromedp.Focus(inWidget("#tt-input")), chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "the panel to close", shadowJS+`.querySelector('.panel').hidden`)
	if !eval[bool](t, ctx, shadowJS+`.activeElement === `+shadowJS+`.querySelector('.bubble')`) {
		t.Error("after Esc the focus is not on the bubble")
	}
}

// widgetErrors checks the rate-limit and offline states and their retry.
func (b *browserTest) widgetErrors(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	run(t, ctx, "open the rate-limited portal", chromedp.Navigate(b.limited+"/"), chromedp.WaitVisible(inWidget(".bubble")),
		chromedp.Click(inWidget(".bubble")), chromedp.WaitVisible(inWidget(".panel")))
	ask(t, ctx, "hộ chiếu")
	run(t, ctx, "ask too fast", chromedp.SendKeys(inWidget("#tt-input"), "căn cước"), pressEnter)
	waitFor(t, ctx, "the rate-limit message", shadowJS+`.querySelector('.err[data-kind=rate]') !== null`)
	if msg := eval[string](t, ctx, shadowJS+`.querySelector('.err').textContent`); !strings.Contains(msg, "Bạn hỏi hơi nhanh") || !strings.Contains(msg, "giây") {
		t.Errorf("rate-limit message %q", msg)
	}
	if !eval[bool](t, ctx, shadowJS+`.querySelector('.send').disabled && `+shadowJS+`.querySelector('.err .retry').disabled`) {
		t.Error("sending is not paused for Retry-After")
	}
	b.screenshot(t, ctx, "widget-rate-limited", sc, false)

	ctx = step(t, tab)
	run(t, ctx, "open the portal", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(inWidget(".bubble")),
		chromedp.Click(inWidget(".bubble")), chromedp.WaitVisible(inWidget(".panel")))
	setOffline(t, ctx, true)
	run(t, ctx, "ask offline", chromedp.SendKeys(inWidget("#tt-input"), "đổi bằng lái xe mất bao lâu"), pressEnter)
	waitFor(t, ctx, "the offline message", shadowJS+`.querySelector('.err[data-kind=offline]') !== null`)
	if msg := eval[string](t, ctx, shadowJS+`.querySelector('.err').textContent`); !strings.Contains(msg, "Mất kết nối mạng") {
		t.Errorf("offline message %q", msg)
	}
	b.screenshot(t, ctx, "widget-offline", sc, false)
	setOffline(t, ctx, false)
	n := botCount(t, ctx)
	run(t, ctx, "retry", chromedp.Click(inWidget(".err .retry")))
	waitAnswer(t, ctx, n)
	if status := eval[string](t, ctx, lastBot+`.dataset.status`); status != "answered" {
		t.Errorf("after retry: status %q, want answered", status)
	}
	if users := eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.user').length`); users != n+1 {
		t.Errorf("retry repeated the question: %d questions for %d answers", users, n+1)
	}
}

// chatFaults passes requests to the server, except that while a fault is set POST /v1/chat
// fails with it, as the server itself fails: a JSON error body, and Retry-After when given.
type chatFaults struct {
	next http.Handler

	mu     sync.Mutex
	fault  *chatFault
	failed int // chat requests failed so far
}

type chatFault struct {
	status        int
	retryAfter    string
	code, message string
}

// set makes chat fail with f from now on; nil lets it answer again.
func (f *chatFaults) set(fault *chatFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// count is the number of chat requests failed so far.
func (f *chatFaults) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

func (f *chatFaults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	fault := f.fault
	if fault != nil && r.Method == http.MethodPost && r.URL.Path == "/v1/chat" {
		f.failed++
	} else {
		fault = nil
	}
	f.mu.Unlock()
	if fault == nil {
		f.next.ServeHTTP(w, r)
		return
	}
	if fault.retryAfter != "" {
		w.Header().Set("Retry-After", fault.retryAfter)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(fault.status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": fault.code, "message": fault.message}})
}

// openWidget opens the portal at base with a new conversation, and the widget on it.
func openWidget(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	run(t, ctx, "open the portal at "+base, chromedp.Navigate(base+"/"),
		chromedp.Evaluate[chromedp.Void](`sessionStorage.clear()`), chromedp.Reload(), chromedp.WaitVisible(inWidget(".bubble")),
		chromedp.Click(inWidget(".bubble")), chromedp.WaitVisible(inWidget(".panel")))
}

// widgetUnavailable checks the widget while the database is down: the server answers 503 with
// Retry-After. The widget says the service is unavailable, keeps the question, waits as told
// and, once the server is back, answers it on "Thử lại".
func (b *browserTest) widgetUnavailable(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	openWidget(t, ctx, b.flaky)
	// The server sends Retry-After: 5 when the database is down (encode.go); 2 keeps the test short.
	b.faults.set(&chatFault{status: http.StatusServiceUnavailable, retryAfter: "2", code: "unavailable",
		message: "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút."})
	defer b.faults.set(nil)
	failed := b.faults.count()
	const question = "làm hộ chiếu hết bao nhiêu tiền"
	run(t, ctx, "ask while the database is down", chromedp.SendKeys(inWidget("#tt-input"), question), pressEnter)
	waitFor(t, ctx, "the unavailable message", shadowJS+`.querySelector('.err[data-kind=busy]') !== null`)
	if msg := eval[string](t, ctx, shadowJS+`.querySelector('.err').textContent`); !strings.Contains(msg, "Dịch vụ tạm thời gián đoạn") {
		t.Errorf("unavailable message %q", msg)
	}
	if n := b.faults.count() - failed; n != 1 {
		t.Errorf("the widget sent %d requests for one question", n)
	}
	// Nothing is lost: the question stays in the conversation, with a button to send it again.
	if users := eval[[]string](t, ctx, `Array.from(`+shadowJS+`.querySelectorAll('.msg.user')).map(m => m.textContent)`); len(users) != 1 || users[0] != question {
		t.Errorf("after the failure the conversation shows the questions %q, want %q", users, question)
	}
	if !eval[bool](t, ctx, shadowJS+`.querySelector('.send').disabled && `+shadowJS+`.querySelector('.err .retry').disabled`) {
		t.Error("sending is not paused for Retry-After")
	}
	b.screenshot(t, ctx, "widget-unavailable", sc, false)

	// The database is back; once Retry-After has passed, "Thử lại" gets the answer.
	b.faults.set(nil)
	waitFor(t, ctx, "the end of Retry-After", `!`+shadowJS+`.querySelector('.err .retry').disabled`)
	if eval[bool](t, ctx, shadowJS+`.querySelector('.send').disabled`) {
		t.Error("the send button is still disabled after Retry-After")
	}
	run(t, ctx, "retry", chromedp.Click(inWidget(".err .retry")))
	waitAnswer(t, ctx, 0)
	b.checkPassportAnswer(t, ctx)
	if users := eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.user').length`); users != 1 {
		t.Errorf("retry repeated the question: %d questions for 1 answer", users)
	}
}

// widgetRefused checks a question the server refuses (4xx with a JSON message): the widget
// shows the server's message, gives the question back to be corrected, and sends it again.
func (b *browserTest) widgetRefused(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	openWidget(t, ctx, b.flaky)
	const refusal = "Câu hỏi quá dài (tối đa 1000 ký tự)."
	b.faults.set(&chatFault{status: http.StatusBadRequest, code: "invalid", message: refusal})
	defer b.faults.set(nil)
	const question = "đăng ký thường trú cần giấy tờ gì"
	run(t, ctx, "ask a question the server refuses", chromedp.SendKeys(inWidget("#tt-input"), question), pressEnter)
	waitFor(t, ctx, "the refusal", shadowJS+`.querySelector('.err[data-kind=http]') !== null`)
	if msg := eval[string](t, ctx, shadowJS+`.querySelector('.err').textContent`); msg != refusal {
		t.Errorf("the widget shows %q, want the server's message %q", msg, refusal)
	}
	// The question is back in the box, focused, to be corrected; it is not in the conversation,
	// which the server did not take it into.
	if got := eval[string](t, ctx, shadowJS+`.querySelector('#tt-input').value`); got != question {
		t.Errorf("after the refusal the question box holds %q, want the question %q", got, question)
	}
	if got := eval[string](t, ctx, `(`+shadowJS+`.activeElement || {}).id || ''`); got != "tt-input" {
		t.Errorf("after the refusal the focus is on %q, want the question box", got)
	}
	if n := eval[int](t, ctx, shadowJS+`.querySelectorAll('.msg.user').length`); n != 0 {
		t.Errorf("the refused question is shown as asked (%d questions)", n)
	}
	if eval[bool](t, ctx, shadowJS+`.querySelector('.send').disabled`) {
		t.Error("the send button is disabled after a refusal")
	}
	b.screenshot(t, ctx, "widget-refused", sc, false)

	// Still usable: sent again, the question is answered.
	b.faults.set(nil)
	run(t, ctx, "send again", pressEnter)
	waitAnswer(t, ctx, 0)
	if status := eval[string](t, ctx, lastBot+`.dataset.status`); status != "answered" {
		t.Errorf("sent again: status %q, want answered", status)
	}
	if users := eval[[]string](t, ctx, `Array.from(`+shadowJS+`.querySelectorAll('.msg.user')).map(m => m.textContent)`); len(users) != 1 || users[0] != question {
		t.Errorf("sent again: the conversation shows the questions %q, want %q", users, question)
	}
}

// widgetFocusTrap checks the widget full screen on a phone, a modal dialog: Tab and Shift+Tab go
// round all of its controls, in order, never leaving it; a re-render that removes the focused
// control leaves the focus in it; Esc closes it and gives the focus back to the bubble.
func (b *browserTest) widgetFocusTrap(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	// A touch screen, as on a real phone: there the widget keeps the on-screen keyboard down.
	if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
		t.Fatalf("emulate touch: %v", err)
	}
	defer chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
	openWidget(t, ctx, b.base)
	if modal := eval[string](t, ctx, shadowJS+`.querySelector('.panel').getAttribute('aria-modal')`); modal != "true" {
		t.Errorf("full screen, the panel has aria-modal=%q, want true", modal)
	}
	// The tapped chip is gone once the answer is shown: the focus must stay in the dialog.
	run(t, ctx, "tap a starter chip", chromedp.Click(inWidget(".chips .chip")))
	waitAnswer(t, ctx, 0)
	if !eval[bool](t, ctx, `document.activeElement === `+shadowJS+`.host && `+shadowJS+`.querySelector('.panel').contains(`+shadowJS+`.activeElement)`) {
		t.Errorf("after the answer replaced the tapped chip, the focus is on %s, outside the dialog", eval[string](t, ctx, focusedJS))
	}

	// The panel's controls, in document order, which is their tab order (no positive tabindex).
	n := eval[int](t, ctx, `(window.tabbables = Array.from(`+shadowJS+`.querySelector('.panel').querySelectorAll('a[href], button, summary, textarea, [tabindex]'))
		.filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length &&
			!(e.tagName !== 'SUMMARY' && e.closest('details:not([open])')))).length`) // a folded detail's links are not reachable
	if n < 8 {
		t.Fatalf("%d controls in the panel, want those of an answer too", n)
	}
	// Shift+Tab from where the re-render left the focus stays in the dialog too.
	run(t, ctx, "press Shift+Tab", pressShiftTab)
	if got := eval[int](t, ctx, `tabbables.indexOf(`+shadowJS+`.activeElement)`); got < 0 {
		t.Errorf("Shift+Tab after the answer: focus on %s, outside the dialog's controls", eval[string](t, ctx, focusedJS))
	}
	for _, dir := range []struct {
		name string
		key  chromedp.Action[chromedp.Void]
		step int
	}{{"Tab", pressTab, 1}, {"Shift+Tab", pressShiftTab, -1}} {
		// Once round from the question box, the second last control.
		start := n - 2
		run(t, ctx, "focus the question box", chromedp.Focus(inWidget("#tt-input")))
		if got := eval[int](t, ctx, `tabbables.indexOf(`+shadowJS+`.activeElement)`); got != start {
			t.Fatalf("the question box is control %d of %d, want the second last", got, n)
		}
		for i := 1; i <= n; i++ {
			run(t, ctx, "press "+dir.name, dir.key)
			want := ((start+dir.step*i)%n + n) % n
			if got := eval[int](t, ctx, `tabbables.indexOf(`+shadowJS+`.activeElement)`); got != want {
				t.Fatalf("%s %d times from the question box: focus on control %d (%s), want %d of %d",
					dir.name, i, got, eval[string](t, ctx, focusedJS), want, n)
			}
		}
	}

	// Esc from another control than the question box (see widget) closes the dialog too.
	run(t, ctx, "press Esc", chromedp.Focus(inWidget("header button")), chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "the panel to close", shadowJS+`.querySelector('.panel').hidden`)
	if !eval[bool](t, ctx, shadowJS+`.activeElement === `+shadowJS+`.querySelector('.bubble')`) {
		t.Errorf("after Esc the focus is on %s, want the bubble", eval[string](t, ctx, focusedJS))
	}
}

// focusedJS describes the focused element, in the widget or on the page.
const focusedJS = `(() => { const r = ` + shadowJS + `, a = r.activeElement || document.activeElement;
	return a ? (r.activeElement ? 'widget ' : 'page ') + a.tagName.toLowerCase() + (a.className ? '.' + a.className : '') + ' ' + JSON.stringify((a.getAttribute('aria-label') || a.textContent || '').slice(0, 40)) : 'nothing'; })()`

// setOffline switches navigator.onLine.
func setOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		t.Fatalf("set offline %v: %v", offline, err)
	}
}

// checkPassportAnswer checks the answer to the passport fee question: fees, citations linking
// to the official record with their date, and the checklist link.
func (b *browserTest) checkPassportAnswer(t *testing.T, ctx context.Context) {
	t.Helper()
	var a struct {
		Status, Text, Checklist, Target string
		Cites                           []string
		Links                           []string
	}
	raw := eval[string](t, ctx, `JSON.stringify((() => { const m = `+lastBot+`; const l = m.querySelector('a.checklist') || {};
		return { Status: m.dataset.status, Text: m.querySelector('.ans').textContent,
			Checklist: l.href || '', Target: l.target || '',
			Cites: Array.from(m.querySelectorAll('.cites li')).map(li => li.textContent),
			Links: Array.from(m.querySelectorAll('.cites a')).map(a => a.href) }; })())`)
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		t.Fatal(err)
	}
	if a.Status != "answered" || !strings.Contains(a.Text, "200.000 đồng") {
		t.Errorf("answer (%s) does not give the fee: %s", a.Status, trim(a.Text))
	}
	if len(a.Links) == 0 {
		t.Fatal("the answer has no citation links")
	}
	for i, l := range a.Links {
		if !strings.HasPrefix(l, "https://dichvucong.gov.vn/") {
			t.Errorf("citation %d links to %q, want the official record", i+1, l)
		}
		if !strings.Contains(a.Cites[i], "cập nhật 01/07/2025") || !strings.Contains(a.Cites[i], "Phí, lệ phí") {
			t.Errorf("citation %d lacks its section or date: %q", i+1, a.Cites[i])
		}
	}
	if !strings.HasSuffix(a.Checklist, "/checklist/cap-ho-chieu-pho-thong") || a.Target != "_blank" {
		t.Errorf("checklist link %q (target %q), want /checklist/cap-ho-chieu-pho-thong in a new tab", a.Checklist, a.Target)
	}
	waitFor(t, ctx, "the answer in the live region", shadowJS+`.querySelector('[aria-live=polite]').textContent.includes('200.000')`)
}

// feedbackCount is the number of feedbacks the server has recorded.
func (b *browserTest) feedbackCount(t *testing.T) int {
	n := 0
	for _, p := range b.stats(t).Procedures {
		n += p.Feedback
	}
	return n
}

// stats are the server's answer statistics (GET /v1/stats).
func (b *browserTest) stats(t *testing.T) chat.Stats {
	t.Helper()
	resp, err := http.Get(b.base + "/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st chat.Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("decode stats: %v", err)
	}
	return st
}

func (b *browserTest) checklist(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	run(t, ctx, "open the checklist", chromedp.Navigate(b.base+"/checklist/cap-ho-chieu-pho-thong"), chromedp.WaitVisible(chromedp.CSS("#documents")))
	if n := eval[int](t, ctx, `document.querySelectorAll('#documents input[type=checkbox]').length`); n < 5 {
		t.Errorf("%d documents to tick, want the whole list", n)
	}
	run(t, ctx, "tick a document", chromedp.Click(chromedp.CSS("#documents label")))
	if !eval[bool](t, ctx, `document.querySelector('#documents input').checked`) {
		t.Error("ticking a document does not check it")
	}
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
		t.Errorf("the checklist is wider than the %d px screen", sc.width)
	}
	b.screenshot(t, ctx, "checklist", sc, true)

	// Print: no controls, black on white.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	if shown := eval[string](t, ctx, `getComputedStyle(document.querySelector('[data-print]')).display`); shown != "none" {
		t.Errorf("print shows the print button (display %q)", shown)
	}
	if c := eval[string](t, ctx, `getComputedStyle(document.querySelector('h1')).color + ' on ' + getComputedStyle(document.body).backgroundColor`); c != "rgb(0, 0, 0) on rgb(255, 255, 255)" {
		t.Errorf("print colours: %s, want black on white", c)
	}
	b.screenshot(t, ctx, "checklist-print", sc, true)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatalf("reset media: %v", err)
	}
}

// A4 paper at 96 CSS px per inch, inside the print margins of pages.css (9 mm × 11 mm).
const (
	a4ContentWidth  = 710  // (210 − 2×11) mm
	a4ContentHeight = 1054 // (297 − 2×9) mm
)

// checklistCase chooses the household's case on the checklist of đăng ký thường trú, sees
// only its documents with its QR code, and prints it: one A4 page, no empty box.
func (b *browserTest) checklistCase(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	run(t, ctx, "open the checklist", chromedp.Navigate(b.public+"/checklist/dang-ky-thuong-tru"), chromedp.WaitVisible(chromedp.CSS(".case-picker")))
	if n := eval[int](t, ctx, `document.querySelectorAll('.case-picker li a').length`); n != 7 {
		t.Errorf("%d cases to choose from, want 7", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#documents h3 input, #documents li.check-note input, #documents .note-list input').length`); n != 0 {
		t.Errorf("%d headings or notes are checkboxes", n)
	}
	if eval[bool](t, ctx, `document.body.innerText.includes('Ghi chú nguồn')`) {
		t.Error("the checklist shows remarks for officers (Ghi chú nguồn)")
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.case-picker a[href$="truong-hop=1"]`))); err != nil {
		t.Fatalf("choose a case: %v", err)
	}
	run(t, ctx, "wait for the case", chromedp.WaitVisible(chromedp.CSS(".case-chosen")))
	if got := eval[string](t, ctx, `location.search`); got != "?truong-hop=1" {
		t.Errorf("the choice is %q in the URL, want ?truong-hop=1", got)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll('#documents h3')].map(h => h.textContent).join(' | ')`); got != "Chỗ ở hợp pháp thuộc quyền sở hữu của mình | Lưu ý chung" {
		t.Errorf("documents of %q, want the chosen case and the notes for all", got)
	}
	waitFor(t, ctx, "the QR code", `(() => { const i = document.querySelector('.qr img'); return !!i && i.complete && i.naturalWidth > 0; })()`)
	if got := eval[string](t, ctx, `document.querySelector('a[download]').textContent + ' ' + document.querySelector('a[download]').getAttribute('download')`); got != "Tải về dang-ky-thuong-tru-truong-hop-1.md" {
		t.Errorf("download link %q", got)
	}
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
		t.Errorf("the checklist of a case is wider than the %d px screen", sc.width)
	}
	b.screenshot(t, ctx, "checklist-case", sc, true)

	// Print preview, on A4 paper's width for the desktop (a phone prints on paper too, but its
	// screen shows how the print styles hold at its width).
	width := sc.width
	if !sc.mobile {
		width = a4ContentWidth
	}
	run(t, ctx, "paper width", chromedp.EmulateViewport(width, sc.height, mobileOption(sc.mobile)))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	empty := eval[string](t, ctx, `[...document.querySelectorAll('body *')].filter(e => {
		const s = getComputedStyle(e);
		if (e.getClientRects().length === 0 || ['INPUT', 'IMG', 'svg', 'HR'].includes(e.tagName)) return false;
		const bordered = ['Top', 'Right', 'Bottom', 'Left'].some(k => parseFloat(s['border' + k + 'Width']) > 0 && s['border' + k + 'Style'] !== 'none');
		return bordered && e.innerText.trim() === '' && !e.querySelector('img, svg, input');
	}).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')`)
	if empty != "" {
		t.Errorf("print shows empty bordered boxes: %s", empty)
	}
	if shown := eval[string](t, ctx, `getComputedStyle(document.querySelector('.case-picker')).display`); shown != "none" {
		t.Errorf("print shows the case picker (display %q)", shown)
	}
	if !eval[bool](t, ctx, `!!document.querySelector('.qr img') && getComputedStyle(document.querySelector('.qr')).display !== 'none'`) {
		t.Error("print lacks the QR code")
	}
	if !sc.mobile {
		height := eval[float64](t, ctx, `document.body.getBoundingClientRect().height`)
		t.Logf("printed checklist of one case of đăng ký thường trú: %.0f px high at %d px wide (an A4 page holds %d px)", height, a4ContentWidth, a4ContentHeight)
		if height > a4ContentHeight {
			t.Errorf("the printed checklist of one case is %.0f px high, more than an A4 page (%d px)", height, a4ContentHeight)
		}
		pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
		if err != nil {
			t.Fatalf("print to PDF: %v", err)
		}
		if n := len(pdfPage.FindAll(pdf.Data, -1)); n != 1 {
			t.Errorf("the checklist of one case prints on %d A4 pages, want 1", n)
		}
	}
	b.screenshot(t, ctx, "checklist-case-print", sc, true)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatalf("reset media: %v", err)
	}
	run(t, ctx, "screen width", chromedp.EmulateViewport(sc.width, sc.height, mobileOption(sc.mobile)))
}

// pdfPage is a page object of a PDF.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

func (b *browserTest) lookup(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	run(t, ctx, "open the lookup", chromedp.Navigate(b.base+"/tra-cuu"), chromedp.WaitVisible(chromedp.ID("q")))
	run(t, ctx, "type a query", chromedp.SendKeys(chromedp.ID("q"), "hộ chiếu"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".lookup-form button[type=submit]"))); err != nil {
		t.Fatalf("search: %v", err)
	}
	run(t, ctx, "wait for results", chromedp.WaitVisible(chromedp.CSS(".result")))
	first := eval[string](t, ctx, `document.querySelector('.result h2 a').getAttribute('href')`)
	if first != "/tra-cuu/cap-ho-chieu-pho-thong" {
		t.Errorf("first result %q, want the passport procedure", first)
	}
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
		t.Errorf("the results are wider than the %d px screen", sc.width)
	}
	b.screenshot(t, ctx, "lookup", sc, false)

	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".result h2 a"))); err != nil {
		t.Fatalf("open a result: %v", err)
	}
	run(t, ctx, "wait for the sheet", chromedp.WaitVisible(chromedp.CSS("#documents")))
	b.screenshot(t, ctx, "sheet", sc, false)

	// Deep link to an article, and the copy-link button.
	ctx = step(t, tab)
	run(t, ctx, "open an article", chromedp.Navigate(b.base+"/tra-cuu/luat-cu-tru-2020#article-20"), chromedp.WaitVisible(chromedp.ID("article-20")))
	if id := eval[string](t, ctx, `(document.querySelector(':target') || {}).id || ''`); id != "article-20" {
		t.Errorf("deep link targets %q, want article-20", id)
	}
	if !sc.mobile {
		run(t, ctx, "copy a link", chromedp.Click(chromedp.CSS(`#article-20 button[data-copy]`)))
		waitFor(t, ctx, "the copy confirmation", `document.querySelector('#article-20 button[data-copy]').textContent.startsWith('Đã sao chép')`)
		if got := eval[string](t, ctx, `navigator.clipboard.readText()`); got != b.base+"/tra-cuu/luat-cu-tru-2020#article-20" {
			t.Errorf("copied %q", got)
		}
	}
	b.screenshot(t, ctx, "sheet-article", sc, false)
}
