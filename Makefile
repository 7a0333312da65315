# thutuc — one command to run, one to test. See README.md.
SHELL := /bin/bash
GO    ?= go
PORT  ?= 8080
# DATABASE_URL, when set, points every target at an existing database instead of the
# project-local cluster under .data/.
DBURL  = $$(scripts/db.sh url)
BIN    = bin/thutuc

.PHONY: all db db-url db-stop build migrate ingest run test bench eval model fuzz clean

all: build

db: ## install PostgreSQL + pgvector if missing, start the project-local cluster (idempotent)
	@scripts/db.sh ensure

db-url: ## print the connection URL
	@scripts/db.sh url

db-stop: ## stop the project-local cluster
	@scripts/db.sh stop

build:
	$(GO) build -o $(BIN) ./cmd/thutuc

migrate: db build
	DATABASE_URL="$(DBURL)" $(BIN) migrate

ingest: migrate
	DATABASE_URL="$(DBURL)" $(BIN) ingest --prune corpus/procedures corpus/regulations

run: ingest ## set everything up and serve on :$(PORT)
	DATABASE_URL="$(DBURL)" PORT="$(PORT)" $(BIN) serve

test: ## set everything up and run every test (database tests use their own schemas)
	@THUTUC_PG_FAST=1 scripts/db.sh ensure
	@scripts/browser.sh ensure
	DATABASE_URL="$(DBURL)" $(GO) test -count=1 ./...

eval: ingest ## the development question set against the bundled corpus
	DATABASE_URL="$(DBURL)" $(BIN) eval

model: build ## retrain the built-in embedder (reads ../shared/data) and write corpus/model/embedder.bin
	$(BIN) train --dev corpus/eval/citizen/dev.jsonl,corpus/eval/questions.jsonl

bench: db build ## benchmarks, printed as tables (targets, not tests)
	DATABASE_URL="$(DBURL)" $(GO) test -run '^$$' -bench . -benchtime 1x ./bench/...

fuzz: ## run each fuzz test for a while
	@for t in $$($(GO) test -list 'Fuzz.*' ./... | grep -E '^Fuzz'); do \
	  pkg=$$(grep -rl "func $$t(" --include='*_test.go' . | head -1 | xargs dirname); \
	  echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-20s} $$pkg || exit 1; \
	done

clean:
	rm -rf bin
