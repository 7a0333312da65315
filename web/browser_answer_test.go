package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// answerShape checks a citizen's folded answer: its first facts shown with the rest behind
// "Xem đủ … giấy tờ", a marker's quote opened on tap, the live region in plain text, the way
// to reach a person, and 👎 with a reason that reaches the server's counts.
func (b *browserTest) answerShape(t *testing.T, tab context.Context, sc screen) {
	ctx := step(t, tab)
	openWidget(t, ctx, b.base)
	ask(t, ctx, "đăng ký thường trú cần giấy tờ gì")
	if got := eval[string](t, ctx, `(`+lastBot+`.querySelector('details.more summary') || {}).textContent || ''`); !strings.HasPrefix(got, "Xem đủ ") {
		t.Fatalf("the answer is not folded (button %q)", got)
	}
	if eval[bool](t, ctx, lastBot+`.querySelector('details.more').open`) {
		t.Error("the folded detail is open before it is asked for")
	}
	waitFor(t, ctx, "the live region", shadowJS+`.querySelector('[aria-live=polite]').textContent !== ''`)
	live := eval[string](t, ctx, shadowJS+`.querySelector('[aria-live=polite]').textContent`)
	if strings.ContainsAny(live, "*_") || strings.Contains(live, "[1]") {
		t.Errorf("the live region does not read plain text: %q", trim(live))
	}
	if !eval[bool](t, ctx, `(`+lastBot+`.querySelector('.help') || {}).textContent.includes('bộ phận một cửa')`) {
		t.Error("no way to reach a person after the answer")
	}
	b.screenshot(t, ctx, "answer-folded", sc, false)

	// Its documents differ by case: a chip shows one case's documents alone.
	if n := eval[int](t, ctx, lastBot+`.querySelectorAll('.cases .chip').length`); n < 2 {
		t.Fatalf("%d case chips, want the cases of đăng ký thường trú", n)
	}
	run(t, ctx, "pick a case", chromedp.Click(chromedp.JSPath(lastBot+`.querySelectorAll('.cases .chip')[1]`)))
	waitFor(t, ctx, "the case's documents", lastBot+`.querySelector('.case li') !== null`)
	if !eval[bool](t, ctx, lastBot+`.querySelectorAll('.cases .chip')[1].getAttribute('aria-pressed') === 'true'`) {
		t.Error("the picked case's chip is not shown pressed")
	}
	b.screenshot(t, ctx, "answer-case", sc, false)

	run(t, ctx, "unfold the detail", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('details.more summary')`)))
	waitFor(t, ctx, "the detail open", lastBot+`.querySelector('details.more').open && `+lastBot+`.querySelector('details.more .ans li') !== null`)
	b.screenshot(t, ctx, "answer-detail", sc, false)

	// A marker opens its passage's quote below its citation; tapped on the citation again, it closes.
	run(t, ctx, "tap a marker", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.ans sup.cite a')`)))
	waitFor(t, ctx, "the quote", lastBot+`.querySelector('.cites blockquote') !== null`)
	quote := eval[string](t, ctx, lastBot+`.querySelector('.cites blockquote').textContent`)
	if len(quote) < 20 || strings.Contains(quote, "**") {
		t.Errorf("quote shown %q", trim(quote))
	}
	b.screenshot(t, ctx, "answer-quote", sc, false)
	run(t, ctx, "close the quote", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.cites li button.q[aria-expanded=true]')`)))
	waitFor(t, ctx, "the quote closed", lastBot+`.querySelector('.cites blockquote') === null`)

	// 👎, then why: a reason chip and a comment, counted by the server.
	before := b.reasonCount(t, "qua-dai")
	run(t, ctx, "send 👎", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.fb button[data-helpful="false"]')`)))
	waitFor(t, ctx, "the reasons", lastBot+`.querySelectorAll('.why .chip').length === 5`)
	run(t, ctx, "pick a reason", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.why .chip[data-reason="qua-dai"]')`)),
		chromedp.SendKeys(chromedp.JSPath(lastBot+`.querySelector('.why textarea')`), "dài quá, chỉ cần biết nộp ở đâu"))
	b.screenshot(t, ctx, "feedback-reason", sc, false)
	run(t, ctx, "send the reason", chromedp.Click(chromedp.JSPath(lastBot+`.querySelector('.why .btn')`)))
	waitFor(t, ctx, "the thank-you", lastBot+`.querySelector('.fb .thanks') !== null`)
	if after := b.reasonCount(t, "qua-dai"); after != before+1 {
		t.Errorf("answers not helpful because too long: %d, want %d", after, before+1)
	}
	// Closed again, as the next steps expect to find it.
	run(t, ctx, "press Esc", chromedp.Focus(inWidget("#tt-input")), chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "the panel to close", shadowJS+`.querySelector('.panel').hidden`)
}

// reasonCount is the server's count of answers judged not helpful for a reason.
func (b *browserTest) reasonCount(t *testing.T, reason string) int {
	return b.stats(t).NotHelpfulReasons[reason]
}
