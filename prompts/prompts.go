// Package prompts holds the prompts of the optional LLM: the Vietnamese system prompt, the
// answer prompt with numbered sources and the follow-up rewrite prompt. They are text
// templates embedded in the binary; the render helpers fill them.
package prompts

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// parsed is built once and only read afterwards.
var parsed = template.Must(template.New("prompts").Funcs(template.FuncMap{
	"join": strings.Join,
}).ParseFS(files, "*.tmpl"))

// Source is one numbered source given to the model.
type Source struct {
	N     int
	Label string // what the passage is: "Phí, lệ phí", "Luật Cư trú 2020, Điều 20"
	Quote string // the exact source text
}

// AnswerData fills the answer prompt.
type AnswerData struct {
	Question  string
	Procedure string // title of the procedure
	Code      string
	Audience  string // citizen | coach | officer
	Intents   []string
	Sources   []Source
	SourceURL string
	AsOf      string
}

// Turn is one message of a conversation.
type Turn struct {
	Role string // user | assistant
	Text string
}

// RewriteData fills the follow-up rewrite prompt.
type RewriteData struct {
	Procedure string // title of the procedure the conversation is about, "" when none
	History   []Turn
	Message   string
}

// System returns the system prompt.
func System() (string, error) { return render("system.tmpl", nil) }

// Answer returns the prompt asking for an answer from numbered sources.
func Answer(d AnswerData) (string, error) {
	if len(d.Sources) == 0 {
		return "", fmt.Errorf("answer prompt: no sources")
	}
	return render("answer.tmpl", d)
}

// Rewrite returns the prompt asking to rewrite a follow-up into a standalone question.
func Rewrite(d RewriteData) (string, error) { return render("rewrite.tmpl", d) }

func render(name string, data any) (string, error) {
	var b strings.Builder
	if err := parsed.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render prompt %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
