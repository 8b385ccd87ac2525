# Hub Doctor: one entry point. `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go
GOFLAGS_BUILD := -trimpath -ldflags='-s -w -buildid='

.DEFAULT_GOAL := all
.PHONY: help all cli test test-go lint fuzz bench demo clean new-rule deps test-chromium

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

test: lint test-go fuzz test-chromium ## Everything CI runs: lint, Go tests, fuzz, browser tests.

bench: ## Benchmarks with baselines measured in the same run.
	$(GO) test -run '^$$' -bench . -benchmem ./...

demo: deps all ## Show the main job with no Webex account: Chromium + extension vs the Control Hub stand-in (screenshots/ when headless).
	node scripts/e2e/demo.mjs

new-rule: ## Scaffold a rule: make new-rule ID=family/name
	@test -n "$(ID)" || { echo "usage: make new-rule ID=family/name"; exit 2; }
	$(GO) run ./scripts/newrule $(ID)

clean: ## Remove build outputs.
	rm -rf dist

# Browser test dependencies: Debian packages only when a binary is missing
# (never while another apt runs), npm ci only when node_modules is missing or
# older than the lock file.
APT_PACKAGES := chromium chromium-driver xvfb xauth firefox-esr
APT_BINARIES := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/Xvfb /usr/bin/xauth /usr/bin/firefox-esr

deps: ## Install the browser-test tools when missing (apt: Chromium, Firefox ESR, Xvfb; npm ci). Idempotent.
	@missing=""; for b in $(APT_BINARIES); do [ -x "$$b" ] || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: missing$$missing"; \
	  while pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; do echo "deps: waiting for another apt"; sleep 3; done; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES); \
	fi
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

test-chromium: deps all ## Real-Chromium tests of dist/chrome against the Control Hub stand-in.
	@test -f dist/chrome/manifest.json || { echo "test-chromium: dist/chrome/manifest.json is missing (the extension build is part of make all)"; exit 1; }
	node --test --test-concurrency=1 scripts/e2e/
