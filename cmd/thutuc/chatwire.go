package main

import "github.com/thutuc/thutuc/chat"

// chatService builds the chat service, with the configured LLM if any.
func (a *app) chatService() (*chat.Service, error) {
	gen, err := chat.NewGenerator(chat.LLMConfig(a.cfg.LLM))
	if err != nil {
		return nil, err
	}
	return chat.New(chat.Config{Searcher: a.searcher, DB: a.db, Generator: gen, Logger: a.logger}), nil
}
