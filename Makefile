# Hub Doctor: one entry point. `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go
GOFLAGS_BUILD := -trimpath -ldflags='-s -w -buildid='

# The project's Go packages; ./... would also reach Go code that npm packages
# ship under node_modules/.
GOPKGS := ./cmd/... ./internal/... ./scripts/...

.DEFAULT_GOAL := all
.PHONY: check release check-release help all cli test test-go lint fuzz bench demo clean new-rule deps test-chromium chrome chrome-zip firefox firefox-zip lint-firefox test-firefox test-extension test-wasm check-reproducible store-assets check-store-assets

help: ## List the targets with what they do.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

all: cli chrome chrome-zip firefox firefox-zip ## Build everything into dist/ (CLI, extension for Chrome and Firefox, zips).

cli: ## Build the hubdoctor CLI into dist/bin/.
	@mkdir -p dist/bin
	$(GO) build $(GOFLAGS_BUILD) -o dist/bin/hubdoctor ./cmd/hubdoctor

lint: ## gofmt, go vet and staticcheck (pinned as a tool of the module: go tool staticcheck).
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(GOPKGS)
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	$(GO) tool staticcheck $(GOPKGS)
	@# The tool runs on this machine; only the packages it reads are js/wasm.
	GOOS=js GOARCH=wasm $$($(GO) tool -n staticcheck) ./wasm/...

test-go: ## Go unit, golden and meta tests.
	$(GO) test $(GOPKGS)

FUZZTIME ?= 8s

fuzz: ## Short fuzz run of every fuzz target of the project's packages, as go test -list finds them (FUZZTIME=8s each; scripts/fuzz.sh tells findings from fuzzing-engine stalls).
	@set -eo pipefail; n=0; for pkg in $$($(GO) list $(GOPKGS)); do \
	  for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$fn ($(FUZZTIME))"; n=$$((n+1)); \
	    GO=$(GO) scripts/fuzz.sh $$pkg $$fn $(FUZZTIME); \
	  done; \
	done; \
	test $$n -gt 0 || { echo "fuzz: no fuzz target found"; exit 1; }; echo "fuzz: $$n targets"

check: lint test-go test-wasm ## The everyday loop, no browsers: lint, the Go tests and the wasm bridge tests.

test: lint test-go test-wasm check-reproducible check-release fuzz lint-firefox test-extension check-store-assets test-firefox test-chromium ## Everything CI runs: lint, Go tests, fuzz, browser tests.

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
FIREFOX_ZIP  := dist/hubdoctor-firefox-$(VERSION).zip
# Fixed file times and modes in UTC (zip stores local times, and -X drops
# owner and extended-time fields), so the same tree gives the same bytes on
# any machine.
ZIP_TIME     := 202601010000

# One recipe for both browsers, from the one manifest.json: $(1) is the
# browser, $(2) the one manifest key its build deletes (Chrome reads
# background.service_worker and warns on background.scripts; Firefox reads
# background.scripts and web-ext lint rejects service_worker). Only the files
# a page loads are copied: no tests, README, source maps or editor leftovers.
define BUILD_EXTENSION
	rm -rf dist/$(1) && mkdir -p dist/$(1)/extension/engine
	$(GO) run ./scripts/manifest -in manifest.json -out dist/$(1)/manifest.json -drop $(2)
	@# Browsers read _locales/ beside manifest.json.
	cd extension && find _locales -type f -name messages.json -exec install -D -m 644 {} ../dist/$(1)/{} \;
	cd extension && find . -type f \( -name '*.html' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.png' -o -name '*.svg' \) \
	  ! -name '*.test.*' ! -path './_locales/*' -exec install -D -m 644 {} ../dist/$(1)/extension/{} \;
	@# The page scripts get the engine's scopes (scripts/scopes): they run in the page, without the engine.
	$(GO) run ./scripts/scopes dist/$(1)/extension/observer.js dist/$(1)/extension/content.js
	$(WASM_ENV) $(GO) build $(WASM_BUILD) -o dist/$(1)/extension/engine/hubdoctor.wasm ./wasm
	install -m 644 "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" dist/$(1)/extension/engine/wasm_exec.js
endef

# Pack dist/$(1)/ into $(2): fixed times and modes, sorted names, no extra
# fields, so the same tree gives the same bytes.
define ZIP_EXTENSION
	rm -f $(2)
	chmod -R u=rwX,go=rX dist/$(1)
	TZ=UTC find dist/$(1) -exec touch -h -t $(ZIP_TIME) {} +
	cd dist/$(1) && find . -type f | LC_ALL=C sort | sed 's|^\./||' | TZ=UTC zip -q -X -D ../$(notdir $(2)) -@
	@ls -l $(2) | awk '{print "$(1)-zip: " $$9 " " $$5 " bytes"}'
endef

chrome: ## Build the unpacked Chrome extension into dist/chrome/ (manifest without background.scripts, extension/, engine .wasm + wasm_exec.js).
	$(call BUILD_EXTENSION,chrome,background.scripts)

chrome-zip: chrome ## Pack dist/chrome/ into dist/hubdoctor-chrome-<version>.zip, reproducibly.
	$(call ZIP_EXTENSION,chrome,$(CHROME_ZIP))

firefox: ## Build the unpacked Firefox extension into dist/firefox/ (manifest without background.service_worker).
	$(call BUILD_EXTENSION,firefox,background.service_worker)

firefox-zip: firefox ## Pack dist/firefox/ into dist/hubdoctor-firefox-<version>.zip, reproducibly.
	$(call ZIP_EXTENSION,firefox,$(FIREFOX_ZIP))

WEB_EXT := node_modules/.bin/web-ext
# Prints every message of web-ext's JSON report and the counts; fails on an error or a warning.
LINT_REPORT := const r = JSON.parse(require("fs").readFileSync(0, "utf8")), c = r.summary; for (const m of [...r.errors, ...r.warnings, ...r.notices]) console.log(`  $${m._type}: $${m.code} $${m.file ?? ""} $${m.message}`); console.log(`lint-firefox: $${c.errors} errors, $${c.warnings} warnings, $${c.notices} notices`); process.exit(c.errors + c.warnings ? 1 : 0);

lint-firefox: deps firefox ## web-ext lint of dist/firefox (offline): fails on any error or warning.
	@set -o pipefail; $(WEB_EXT) lint --source-dir dist/firefox --output json --self-hosted=false 2>/dev/null | node -e '$(LINT_REPORT)'

# The extension's own checks need no browser: every language has every key,
# no key is unused, placeholders agree; the zips hold only what may ship.
test-extension: deps chrome-zip firefox-zip ## Locale catalogs and store packages (contents of both zips).
	node --test scripts/e2e/locales.test.mjs scripts/e2e/package.test.mjs

# Firefox ESR over WebDriver BiDi (puppeteer-core) against the stand-in's
# CONNECT proxy: docs/browser-testing.md, scripts/e2e/firefox.test.mjs.
test-firefox: deps cli firefox ## Real-Firefox tests of dist/firefox against the Control Hub stand-in.
	node --test --test-concurrency=1 $(FIREFOX_TESTS)

test-wasm: ## Under Node: the wasm bridge's tests, calling globalThis.hubdoctor as JS does, and jsonspan's, whose strings are crossed eight bytes to a word there.
	PATH="$$PATH:$$($(GO) env GOROOT)/lib/wasm" $(WASM_ENV) $(GO) test -timeout 5m ./wasm/... ./internal/jsonspan/

check-reproducible: ## Build both zips twice from one snapshot of the tree, in two directories, the second with an empty build cache: same bytes.
	@set -e; tmp=$$(mktemp -d); trap 'chmod -R u+w $$tmp; rm -rf $$tmp' EXIT; \
	tar -cf $$tmp/src.tar Makefile go.mod go.sum manifest.json extension internal wasm scripts/manifest scripts/scopes; \
	for d in a b; do mkdir $$tmp/$$d && tar -xf $$tmp/src.tar -C $$tmp/$$d; done; \
	$(MAKE) --no-print-directory -C $$tmp/a chrome-zip firefox-zip >/dev/null; \
	GOCACHE=$$tmp/cache $(MAKE) --no-print-directory -C $$tmp/b chrome-zip firefox-zip >/dev/null; \
	cmp $$tmp/a/$(ENGINE_DIR)/hubdoctor.wasm $$tmp/b/$(ENGINE_DIR)/hubdoctor.wasm; \
	cmp $$tmp/a/$(CHROME_ZIP) $$tmp/b/$(CHROME_ZIP); \
	cmp $$tmp/a/$(FIREFOX_ZIP) $$tmp/b/$(FIREFOX_ZIP); \
	echo "check-reproducible: hubdoctor.wasm sha256 $$(sha256sum < $$tmp/a/$(ENGINE_DIR)/hubdoctor.wasm | cut -c1-16)…, $(notdir $(CHROME_ZIP)) and $(notdir $(FIREFOX_ZIP)) identical across directories and build caches"

# BENCH_SIZES (default "50MB 200MB 500MB") and the other knobs: scripts/bench/bench.mjs.
bench: deps cli chrome firefox ## Benchmarks with baselines measured in the same run: Go benchmarks, then CLI vs jq vs Node vs wasm on generated sessions, then the extension: a HAR file opened in Chromium and Firefox, and Chromium with DevTools open and closed (scripts/bench/).
	$(GO) test -run '^$$' -bench . -benchmem $(GOPKGS)
	GO=$(GO) HUBDOCTOR=dist/bin/hubdoctor WASM=$(ENGINE_DIR)/hubdoctor.wasm WASM_EXEC=$(ENGINE_DIR)/wasm_exec.js node scripts/bench/bench.mjs
	node scripts/bench/import.mjs
	node scripts/bench/extension.mjs
	node scripts/bench/observer.mjs

# The store listing pictures: scripts/store/assets.mjs (which takes
# languages as arguments), the list in scripts/store/pictures.mjs, which
# store takes which file in store/README.md. They are committed; make test
# only checks them (check-store-assets) and never starts a browser for them.
store-assets: deps chrome ## Store listing pictures of the real extension in every UI language into store/<lang>/ (Chromium vs the stand-in; store/README.md).
	node scripts/store/assets.mjs

check-store-assets: ## The committed store pictures: each for every language, exact sizes, translated (compares pixels with English; no browser).
	node --test scripts/store/assets.test.mjs

demo: deps all ## Show the main job with no Webex account: Chromium + extension vs the Control Hub stand-in (screenshots/ when headless).
	node scripts/e2e/demo.mjs

new-rule: ## Add a rule that registers itself: make new-rule ID=family/name (family onboard, license, or sso/<name>-<code>); README: Adding a rule.
	@test -n "$(ID)" || { echo "usage: make new-rule ID=family/name  (family onboard, license, or sso with an ID sso/<name>-<code>)"; exit 2; }
	$(GO) run ./scripts/newrule '$(ID)'

# The CLI for support desks: every system TAC and partner engineers use.
# -buildvcs=true stamps the commit (hubdoctor --version says it; the
# environment may default to false); -trimpath and an empty build ID make
# the bytes depend on the source alone.
RELEASE_TARGETS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
RELEASE_DIR     ?= dist/release
RELEASE_FLAGS   := -trimpath -buildvcs=true -ldflags='-s -w -buildid='

release: ## Cross-compile hubdoctor for linux, darwin and windows on amd64 and arm64 into dist/release/, with SHA256SUMS.
	@rm -rf $(RELEASE_DIR) && mkdir -p $(RELEASE_DIR)
	@set -e; for t in $(RELEASE_TARGETS); do \
	  os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  out=$(RELEASE_DIR)/hubdoctor-$(VERSION)-$$os-$$arch$$ext; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(RELEASE_FLAGS) -o $$out ./cmd/hubdoctor; \
	  echo "release: $$out"; \
	done
	cd $(RELEASE_DIR) && sha256sum hubdoctor-* > SHA256SUMS
	@cat $(RELEASE_DIR)/SHA256SUMS

check-release: chrome ## make release twice (the second with an empty build cache): same SHA256SUMS; the binary's version is the built manifest's.
	@set -e; tmp=$$(mktemp -d); trap 'chmod -R u+w $$tmp; rm -rf $$tmp' EXIT; \
	$(MAKE) --no-print-directory release RELEASE_DIR=$$tmp/a >/dev/null; \
	GOCACHE=$$tmp/cache $(MAKE) --no-print-directory release RELEASE_DIR=$$tmp/b >/dev/null; \
	cmp $$tmp/a/SHA256SUMS $$tmp/b/SHA256SUMS; \
	test $$(wc -l < $$tmp/a/SHA256SUMS) -eq 6; \
	(cd $$tmp/a && sha256sum -c --quiet SHA256SUMS); \
	got=$$($$tmp/a/hubdoctor-$(VERSION)-linux-amd64 --version); \
	want=$$(node -p 'require("./dist/chrome/manifest.json").version'); \
	case "$$got" in "hubdoctor $$want (commit "*) ;; *) echo "check-release: --version says '$$got', the manifest $$want"; exit 1;; esac; \
	echo "check-release: 6 binaries, identical across two builds and build caches; $$got"

clean: ## Remove build outputs.
	rm -rf dist

# Browser test dependencies: Debian packages only when a binary is missing
# (never while another apt runs), npm ci only when node_modules is missing or
# older than the lock file.
# time and jq are make bench's (peak RSS, and the jq baseline).
# fonts-nanum: Korean glyphs for the layout screenshots (scripts/e2e/layout.test.mjs).
# Firefox switches its UI (and so the extension's i18n) only to languages
# whose language pack is installed: the packs of the extension's languages,
# and German for the English fallback (scripts/e2e/languages-firefox.test.mjs).
# They are files, not binaries, hence APT_FILES.
FIREFOX_LANGPACKS := nl fr ko sr de
APT_PACKAGES := chromium chromium-driver xvfb xauth firefox-esr time jq fonts-nanum $(FIREFOX_LANGPACKS:%=firefox-esr-l10n-%)
APT_BINARIES := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/Xvfb /usr/bin/xauth /usr/bin/firefox-esr /usr/bin/time /usr/bin/jq /usr/share/fonts/truetype/nanum
APT_FILES := $(FIREFOX_LANGPACKS:%=/usr/lib/firefox-esr/browser/extensions/langpack-%@firefox-esr.mozilla.org.xpi)

deps: ## Install the browser-test and bench tools when missing (apt: Chromium, Firefox ESR and language packs, Xvfb, time, jq; npm ci). Idempotent.
	@missing=""; for b in $(APT_BINARIES); do [ -x "$$b" ] || missing="$$missing $$b"; done; \
	for f in $(APT_FILES); do [ -f "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: missing$$missing"; \
	  while pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; do echo "deps: waiting for another apt"; sleep 3; done; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES); \
	fi
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The Firefox test files are the ones with "firefox" in their name; every
# other scripts/e2e test file but the browser-less ones is Chromium's.
FIREFOX_TESTS = $(wildcard scripts/e2e/*firefox*.test.mjs)
CHROMIUM_TESTS = $(filter-out $(FIREFOX_TESTS) scripts/e2e/locales.test.mjs scripts/e2e/package.test.mjs,$(wildcard scripts/e2e/*.test.mjs))

test-chromium: deps all ## Real-Chromium tests of dist/chrome against the Control Hub stand-in.
	@test -f dist/chrome/manifest.json || { echo "test-chromium: dist/chrome/manifest.json is missing (the extension build is part of make all)"; exit 1; }
	node --test --test-concurrency=1 $(CHROMIUM_TESTS)
