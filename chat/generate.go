package chat

import (
	"context"
	"strings"

	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/prompts"
	"github.com/thutuc/thutuc/redact"
)

// generate writes the answer with the LLM from the draft's citations, streaming it, and falls
// back to the draft when the model fails, times out or states anything the sources do not.
// Only the end of the caller's context (the client went away) is an error.
func (s *Service) generate(ctx context.Context, t *turn, d decision, dr *draftAnswer, resp *Response) error {
	gen := s.cfg.Generator
	fallback := func(why string, err error) error {
		s.log.Warn("LLM answer replaced by the extractive answer", "generator", gen.Name(), "why", why, "err", err,
			"conversation", redact.ID(t.conv.ID), "message", redact.ID(t.msgID))
		if s.cfg.Observer != nil {
			s.cfg.Observer.Fallback(why)
		}
		resp.Answer, resp.Citations, resp.Generator = dr.markdown, nonNilCitations(dr.citations), GeneratorExtractive
		resp.Detail, resp.DetailLabel, resp.Cases = dr.detail, dr.detailLabel, dr.cases
		return nil
	}
	system, err := prompts.System()
	if err != nil {
		return fallback("prompt", err)
	}
	prompt, err := prompts.Answer(answerData(t, d, dr))
	if err != nil {
		return fallback("prompt", err)
	}
	streamed := false
	var sendErr error
	var onDelta func(string) error
	if t.emit != nil {
		onDelta = func(piece string) error {
			streamed = true
			sendErr = t.send(EventDelta, Delta{Text: piece})
			return sendErr
		}
	}
	text, err := gen.Generate(ctx, system, prompt, onDelta)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case sendErr != nil:
		return sendErr
	case err != nil:
		return s.fallbackStream(t, streamed, fallback("generation failed", err), resp)
	}
	text = strings.TrimSpace(text)
	if err := validateAnswer(text, dr.citations, system); err != nil {
		return s.fallbackStream(t, streamed, fallback("validation failed", err), resp)
	}
	resp.Answer, resp.Citations, resp.Generator = text, citedOnly(dr.citations, text), gen.Name()
	// The model is not told of the procedure's other levels; the line naming them is taken
	// from the records as the extractive answer has it, and added after the check.
	if dr.levels != "" {
		resp.Answer += "\n\n" + dr.levels
		if streamed {
			return t.send(EventDelta, Delta{Text: "\n\n" + dr.levels})
		}
	}
	return nil
}

// fallbackStream streams the extractive answer when nothing was streamed yet; otherwise the
// done event alone replaces what was streamed.
func (s *Service) fallbackStream(t *turn, streamed bool, err error, resp *Response) error {
	if err != nil || streamed {
		return err
	}
	return streamText(t, resp.Answer)
}

func answerData(t *turn, d decision, dr *draftAnswer) prompts.AnswerData {
	data := prompts.AnswerData{Question: d.question, Procedure: dr.doc.title, Code: dr.doc.code, Audience: t.conv.Audience,
		Intents: d.intents, SourceURL: dr.doc.sourceURL, AsOf: viDate(dr.doc.asOf)}
	for _, c := range dr.citations {
		data.Sources = append(data.Sources, prompts.Source{N: c.N, Label: citationLabel(c), Quote: oneLine(c.Quote)})
	}
	return data
}

// citationLabel says what a cited passage is: its section, or the regulation and article.
func citationLabel(c Citation) string {
	if c.Article != "" {
		return c.Title + ", Điều " + c.Article
	}
	if l, ok := sectionLabels[c.Section]; ok {
		return l[0]
	}
	return c.Title
}

// citedOnly keeps the citations the answer cites, with their numbers.
func citedOnly(cites []Citation, answer string) []Citation {
	used := map[int]bool{}
	for _, n := range markersIn(answer) {
		used[n] = true
	}
	out := []Citation{}
	for _, c := range cites {
		if used[c.N] {
			out = append(out, c)
		}
	}
	return out
}

// rewrite asks the LLM to turn a follow-up into a standalone question; "" when it cannot.
func (s *Service) rewrite(ctx context.Context, t *turn, msg, procedure string) string {
	if t.conv.ProcedureID == "" {
		return ""
	}
	history, err := s.cfg.DB.Messages(ctx, t.conv.ID, 6)
	if err != nil {
		s.log.Warn("follow-up rewrite: load history", "err", err)
		return ""
	}
	data := prompts.RewriteData{Procedure: procedure, Message: msg}
	for _, m := range history {
		text := m.Text
		if m.Role == postgres.RoleAssistant {
			text = firstLines(text, 3) // the gist is enough to resolve "it"
		}
		data.History = append(data.History, prompts.Turn{Role: m.Role, Text: text})
	}
	prompt, err := prompts.Rewrite(data)
	if err != nil {
		s.log.Warn("follow-up rewrite: prompt", "err", err)
		return ""
	}
	system, err := prompts.System()
	if err != nil {
		return ""
	}
	out, err := s.cfg.Generator.Generate(ctx, system, prompt, nil)
	if err != nil {
		s.log.Warn("follow-up rewrite failed: using the rules", "err", err)
		return ""
	}
	out = strings.TrimSpace(strings.Trim(strings.TrimSpace(out), `"“”`))
	if out == "" || len([]rune(out)) > 500 || declineReason(out) != "" {
		return ""
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
