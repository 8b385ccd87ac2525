# Hub Doctor: one entry point. `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go
GOFLAGS_BUILD := -trimpath -ldflags='-s -w -buildid='

# The project's Go packages; ./... would also reach Go code that npm packages
# ship under node_modules/.
GOPKGS := ./cmd/... ./internal/... ./scripts/...

.DEFAULT_GOAL := all
.PHONY: help all cli test test-go lint fuzz bench demo clean new-rule deps test-chromium chrome chrome-zip test-wasm check-reproducible

help: ## List the targets with what they do.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

all: cli chrome chrome-zip ## Build everything into dist/ (CLI, extension for Chrome and Firefox, zips).

cli: ## Build the hubdoctor CLI into dist/bin/.
	@mkdir -p dist/bin
	$(GO) build $(GOFLAGS_BUILD) -o dist/bin/hubdoctor ./cmd/hubdoctor

lint: ## gofmt and go vet.
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(GOPKGS)
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

test-go: ## Go unit, golden and meta tests.
	$(GO) test $(GOPKGS)

FUZZTIME ?= 8s
# package:target pairs; go test -fuzz takes one target of one package at a time.
FUZZ_TARGETS := ./internal/har:FuzzScanner ./internal/har:FuzzParseEntry ./internal/saml:FuzzDecode ./internal/sanitize:FuzzEntry

fuzz: ## Short fuzz run of every parser of user input (FUZZTIME=8s each).
	@set -eo pipefail; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg | tail -n 2; \
	done

test: lint test-go test-wasm check-reproducible fuzz test-chromium ## Everything CI runs: lint, Go tests, fuzz, browser tests.

# The extension build (layout and reproducible rebuild: wasm/README.md).
# dist/chrome/ is the unpacked extension; the engine and the wasm_exec.js of
# the same Go go to extension/engine/, where extension/engine.js loads them.
VERSION      := $(shell sed -n 's/^const Version = "\(.*\)"$$/\1/p' internal/version/version.go)
WASM_ENV     := GOOS=js GOARCH=wasm
# No VCS stamp: the .wasm must not depend on whether the tree is a git
# checkout (a store reviewer rebuilds from the source archive).
WASM_BUILD   := $(GOFLAGS_BUILD) -buildvcs=false
ENGINE_DIR   := dist/chrome/extension/engine
CHROME_ZIP   := dist/hubdoctor-chrome-$(VERSION).zip
# Fixed file times and modes in UTC (zip stores local times, and -X drops
# owner and extended-time fields), so the same tree gives the same bytes on
# any machine.
ZIP_TIME     := 202601010000

chrome: ## Build the unpacked Chrome extension into dist/chrome/ (manifest, extension/, engine .wasm + wasm_exec.js).
	rm -rf dist/chrome && mkdir -p $(ENGINE_DIR)
	cp manifest.json dist/chrome/
	@# Chrome reads _locales/ beside manifest.json; only page files are copied, no tests or editor leftovers.
	cp -r extension/_locales dist/chrome/_locales
	cd extension && find . -type f \( -name '*.html' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.png' -o -name '*.svg' \) \
	  ! -name '*.test.*' ! -path './_locales/*' -exec install -D -m 644 {} ../dist/chrome/extension/{} \;
	$(WASM_ENV) $(GO) build $(WASM_BUILD) -o $(ENGINE_DIR)/hubdoctor.wasm ./wasm
	install -m 644 "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(ENGINE_DIR)/wasm_exec.js

chrome-zip: chrome ## Pack dist/chrome/ into dist/hubdoctor-chrome-<version>.zip, reproducibly.
	rm -f $(CHROME_ZIP)
	chmod -R u=rwX,go=rX dist/chrome
	TZ=UTC find dist/chrome -exec touch -h -t $(ZIP_TIME) {} +
	cd dist/chrome && find . -type f | LC_ALL=C sort | sed 's|^\./||' | TZ=UTC zip -q -X -D ../$(notdir $(CHROME_ZIP)) -@
	@ls -l $(CHROME_ZIP) | awk '{print "chrome-zip: " $$9 " " $$5 " bytes"}'

test-wasm: ## The wasm bridge's tests under Node, calling globalThis.hubdoctor as JS does.
	PATH="$$PATH:$$($(GO) env GOROOT)/lib/wasm" $(WASM_ENV) $(GO) test -timeout 5m ./wasm/...

check-reproducible: ## Build the zip twice from one snapshot of the tree, in two directories, the second with an empty build cache: same bytes.
	@set -e; tmp=$$(mktemp -d); trap 'chmod -R u+w $$tmp; rm -rf $$tmp' EXIT; \
	tar -cf $$tmp/src.tar Makefile go.mod go.sum manifest.json extension internal wasm; \
	for d in a b; do mkdir $$tmp/$$d && tar -xf $$tmp/src.tar -C $$tmp/$$d; done; \
	$(MAKE) --no-print-directory -C $$tmp/a chrome-zip >/dev/null; \
	GOCACHE=$$tmp/cache $(MAKE) --no-print-directory -C $$tmp/b chrome-zip >/dev/null; \
	cmp $$tmp/a/$(ENGINE_DIR)/hubdoctor.wasm $$tmp/b/$(ENGINE_DIR)/hubdoctor.wasm; \
	cmp $$tmp/a/$(CHROME_ZIP) $$tmp/b/$(CHROME_ZIP); \
	echo "check-reproducible: hubdoctor.wasm sha256 $$(sha256sum < $$tmp/a/$(ENGINE_DIR)/hubdoctor.wasm | cut -c1-16)…, $(notdir $(CHROME_ZIP)) identical across directories and build caches"

# BENCH_SIZES (default "50MB 500MB") and the other knobs: scripts/bench/bench.mjs.
bench: deps cli chrome ## Benchmarks with baselines measured in the same run: Go benchmarks, then CLI vs jq vs Node vs wasm on generated sessions (scripts/bench/).
	$(GO) test -run '^$$' -bench . -benchmem $(GOPKGS)
	GO=$(GO) HUBDOCTOR=dist/bin/hubdoctor WASM=$(ENGINE_DIR)/hubdoctor.wasm WASM_EXEC=$(ENGINE_DIR)/wasm_exec.js node scripts/bench/bench.mjs

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
# time and jq are make bench's (peak RSS, and the jq baseline).
APT_PACKAGES := chromium chromium-driver xvfb xauth firefox-esr time jq
APT_BINARIES := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/Xvfb /usr/bin/xauth /usr/bin/firefox-esr /usr/bin/time /usr/bin/jq

deps: ## Install the browser-test and bench tools when missing (apt: Chromium, Firefox ESR, Xvfb, time, jq; npm ci). Idempotent.
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
