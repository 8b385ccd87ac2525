# Hub Doctor: one entry point. `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go
GOFLAGS_BUILD := -trimpath -ldflags='-s -w -buildid='

.DEFAULT_GOAL := all
.PHONY: help all cli test test-go lint fuzz bench demo clean new-rule

help: ## List the targets with what they do.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

all: cli ## Build everything into dist/ (CLI, extension for Chrome and Firefox, zips).

cli: ## Build the hubdoctor CLI into dist/bin/.
	@mkdir -p dist/bin
	$(GO) build $(GOFLAGS_BUILD) -o dist/bin/hubdoctor ./cmd/hubdoctor

lint: ## gofmt and go vet.
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test-go: ## Go unit, golden and meta tests.
	$(GO) test ./...

FUZZTIME ?= 8s
# package:target pairs; go test -fuzz takes one target of one package at a time.
FUZZ_TARGETS := ./internal/har:FuzzScanner ./internal/har:FuzzParseEntry ./internal/saml:FuzzDecode ./internal/sanitize:FuzzEntry

fuzz: ## Short fuzz run of every parser of user input (FUZZTIME=8s each).
	@set -eo pipefail; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg | tail -n 2; \
	done

test: lint test-go fuzz ## Everything CI runs: lint, Go tests, fuzz, browser tests.

bench: ## Benchmarks with baselines measured in the same run.
	$(GO) test -run '^$$' -bench . -benchmem ./...

demo: cli ## Show the main job with no Webex account.
	dist/bin/hubdoctor analyze testdata/sessions/chrome-seed-carrier.har || true

new-rule: ## Scaffold a rule: make new-rule ID=family/name
	@test -n "$(ID)" || { echo "usage: make new-rule ID=family/name"; exit 2; }
	$(GO) run ./scripts/newrule $(ID)

clean: ## Remove build outputs.
	rm -rf dist
