package main

import (
	"github.com/thutuc/thutuc/chat"
	"time"
)

// chatService builds the chat service, with the LLM of the configuration when one is set.
// chatService returns the chat service of the app; observer, when not nil, records its
// stages (metrics).
func (a *app) chatService(observer chat.Observer) (*chat.Service, error) {
	gen, err := chat.NewGenerator(chat.LLMConfig{
		Provider: a.cfg.LLM.Provider,
		BaseURL:  a.cfg.LLM.BaseURL,
		Model:    a.cfg.LLM.Model,
		APIKey:   a.cfg.LLM.APIKey,
		Timeout:  a.cfg.LLM.Timeout,
	})
	if err != nil {
		return nil, err
	}
	return chat.New(chat.Config{Searcher: a.searcher, DB: a.db, Generator: gen, Logger: a.logger, Observer: observer,
		Retention: time.Duration(max(a.cfg.RetentionDays, 1)) * 24 * time.Hour}), nil
}
