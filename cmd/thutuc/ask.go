package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/chat"
)

// cmdAsk answers one question like the chat API does: the answer streams to stdout, followed
// by its numbered sources; --json prints the whole response instead.
func cmdAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	asJSON := fs.Bool("json", false, "print the response as JSON")
	audience := fs.String("audience", chat.AudienceCitizen, "citizen | coach | officer")
	locality := fs.String("locality", "", "province slug, e.g. ha-noi")
	conversation := fs.String("conversation", "", "continue the conversation with this id")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		fmt.Fprintln(stderr, `ask: give a question, e.g. thutuc ask "làm hộ chiếu cần giấy tờ gì"`)
		return errUsage
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.db.Ready(ctx); err != nil {
		return userError(err)
	}
	// The first search builds the lexical index, which for the whole catalog outlasts a
	// message's time limit for the database.
	if err := a.searcher.Warm(ctx); err != nil {
		return userError(err)
	}
	svc, err := a.chatService(nil)
	if err != nil {
		return userError(err)
	}
	req := chat.Request{Message: question, Audience: *audience, Locality: *locality, ConversationID: *conversation}
	if *asJSON {
		resp, err := svc.Answer(ctx, req, nil)
		if err != nil {
			return userError(err)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	var expected string
	resp, err := svc.Answer(ctx, req, func(ev chat.Event) error {
		switch d := ev.Data.(type) {
		case chat.Meta:
			expected = d.Generator
		case chat.Delta:
			_, err := io.WriteString(stdout, d.Text)
			return err
		}
		return nil
	})
	if err != nil {
		return userError(err)
	}
	printSources(stdout, resp, expected)
	return nil
}

// printSources ends a streamed answer: the replacement when the model's answer was rejected,
// the numbered sources and the ids needed to continue or rate the conversation.
func printSources(w io.Writer, resp *chat.Response, expected string) {
	fmt.Fprintln(w)
	if resp.Generator != expected {
		fmt.Fprintf(w, "\n(Câu trả lời trên không khớp với nguồn nên được thay bằng câu trả lời trích từ nguồn:)\n\n%s\n", resp.Answer)
	}
	if resp.Detail != "" {
		fmt.Fprintf(w, "\n[%s]\n\n%s\n", resp.DetailLabel, resp.Detail)
	}
	if len(resp.Citations) > 0 {
		fmt.Fprintln(w, "\nNguồn:")
	}
	for _, c := range resp.Citations {
		where := c.Section
		if c.Article != "" {
			where = "Điều " + c.Article
		}
		quote := strings.Join(strings.Fields(c.Quote), " ")
		if r := []rune(quote); len(r) > 140 {
			quote = string(r[:140]) + "…"
		}
		fmt.Fprintf(w, "[%d] %s (%s, %s): %s\n    %s\n", c.N, c.Title, where, c.AsOf, quote, c.SourceURL)
	}
	fmt.Fprintf(w, "\n(%s · %s · conversation %s · message %s)\n", resp.Status, resp.Generator, resp.ConversationID, resp.MessageID)
}

// userError turns an application error into its message for the terminal.
func userError(err error) error {
	var e *thutuc.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}
