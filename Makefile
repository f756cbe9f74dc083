# ActCourier build, test and demo. `make help` lists the targets.

GO          ?= go
GO_WIN7     ?= go1.20.14
# The importer's tests under Wine (make test-windows): the newest Go that
# builds modernc.org/sqlite (Go 1.21) and whose Windows programs start
# under Debian's Wine 8.0 (Go 1.21.5 on needs bcryptprimitives.dll).
GO_WINE     ?= go1.21.4
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -buildid= -X github.com/actcourier/actcourier/pkg/version.stamp=$(VERSION)
BUILD       := $(GO) build -trimpath -ldflags "$(LDFLAGS)"
# The collectors leave out urfave/cli's man page and Markdown writers
# (about 300 KiB: go-md2man and blackfriday), which they never use,
# and are built without inlining (about 500 KiB smaller for 386): the
# collector reads one machine once, so no call on it is hot enough for
# inlining to pay for the bytes on the stick.
COLLECTOR_TAGS := -tags urfave_cli_no_docs -gcflags=all=-l
DIST        ?= dist
FUZZTIME    ?= 20s
# Windows 7 builds stay under this many bytes (issue: 6 MiB), signed or not.
WIN7_MAX    := 6291456
# Tests that use PostgreSQL whatever ACTCOURIER_TEST_DB says: they run in
# go test ./..., and not again in the run against PostgreSQL.
PG_ONLY     := TestStoresAgree|TestFourImporters|TestServerRestart
# make test writes its summary here and prints it at the end.
SUMMARY     ?= $(CURDIR)/test-summary.txt

# Signing the Windows programs (docs/signing.md): SIGN_CERT and SIGN_KEY
# (PEM), or SIGN_PFX (PKCS#12); the key's password in the file
# SIGN_PASS_FILE or in the environment variable SIGN_PASS, never on a
# command line; SIGN_TIMESTAMP, an RFC 3161 time-stamp server URL.
SIGN_CERT      ?=
SIGN_KEY       ?=
SIGN_PFX       ?=
SIGN_PASS_FILE ?=
SIGN_TIMESTAMP ?=
SIGN_CAFILE    ?=
export SIGN_CERT SIGN_KEY SIGN_PFX SIGN_PASS_FILE SIGN_TIMESTAMP SIGN_CAFILE

.PHONY: help deps build win7 check test test-386 test-windows test-sign fuzz fuzz-corpus bench demo clean

help:
	@echo "make demo         - install what is missing, then run the end-to-end demo"
	@echo "make bench        - measure sizes, import throughput, report time and memory, collector time under wine"
	@echo "make test         - install what is missing, then run every check and test, and print a summary"
	@echo "make build        - release binaries and SHA256SUMS into $(DIST)/ (signed with SIGN_CERT+SIGN_KEY or SIGN_PFX)"
	@echo "make test-386     - the collector's packages as 32-bit code ($(GO_WIN7))"
	@echo "make test-windows - the importer and its packages as Windows programs under Wine"
	@echo "make test-sign    - a signed build with a throwaway certificate, verified and run under Wine"

deps:
	@sh .ci/deps.sh

# The size limit of the Windows 7 collectors.
WIN7_SIZES = for f in $(DIST)/collector-win7-386.exe $(DIST)/collector-win7-amd64.exe; do \
	  s=$$(wc -c < $$f); echo "$$f: $$s bytes"; \
	  if [ $$s -ge $(WIN7_MAX) ]; then echo "$$f is over 6 MiB" >&2; exit 1; fi; done

# Windows 7 (Go 1.20.14: the last Go that runs there), stripped, reproducible.
win7:
	@mkdir -p $(DIST)
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=386 $(BUILD) $(COLLECTOR_TAGS) -o $(DIST)/collector-win7-386.exe ./collector
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=amd64 $(BUILD) $(COLLECTOR_TAGS) -o $(DIST)/collector-win7-amd64.exe ./collector
	@$(WIN7_SIZES)

# The rest with current Go. Signed when a signer is given, then the sizes
# again (a signature adds a few KiB) and the checksums of what ships.
build: win7
	GOOS=windows GOARCH=amd64 $(BUILD) $(COLLECTOR_TAGS) -o $(DIST)/collector-windows-amd64.exe ./collector
	GOOS=windows GOARCH=arm64 $(BUILD) $(COLLECTOR_TAGS) -o $(DIST)/collector-windows-arm64.exe ./collector
	GOOS=linux GOARCH=amd64 $(BUILD) -o $(DIST)/importer-linux-amd64 ./importer
	GOOS=windows GOARCH=amd64 $(BUILD) -o $(DIST)/importer-windows-amd64.exe ./importer
	GOOS=darwin GOARCH=arm64 $(BUILD) -o $(DIST)/importer-darwin-arm64 ./importer
	@if [ -n "$(SIGN_PFX)$(SIGN_CERT)" ]; then sh .ci/sign.sh $(DIST)/*.exe && $(WIN7_SIZES); \
	  else echo "unsigned: set SIGN_CERT and SIGN_KEY, or SIGN_PFX, to sign (docs/signing.md)"; fi
	cd $(DIST) && sha256sum collector-* importer-* > SHA256SUMS

# gofmt, vet (current Go and Go 1.20 for what the collector imports), the
# Windows 7 builds and their size.
check: win7
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change: $$out" >&2; exit 1; fi
	$(GO) vet ./... ./.ci/bench ./.ci/democid
	GOARCH=386 $(GO) vet ./importer/... ./pkg/store/...
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=386 $(GO) vet ./collector/... ./bundle/... ./pkg/licensing/... ./pkg/slmgr/... ./pkg/stick/... ./pkg/sjis/... ./pkg/terminal/... ./pkg/classify/... ./pkg/version/... ./pkg/activation/... ./pkg/cmdline/...

# Every step runs (after deps) even if one before failed; the summary at
# the end lists each with PASS, FAIL or SKIPPED, its time, and every
# skipped test with its reason.
test:
	@rm -f $(SUMMARY)
	@export SUMMARY=$(SUMMARY); rc=0; \
	.ci/step "deps: Debian packages, wine32 tried" sh .ci/deps.sh || exit 1; \
	.ci/step "check: gofmt, vet, Windows 7 builds and size" $(MAKE) --no-print-directory check || rc=1; \
	.ci/step "go test ./... ($$($(GO) env GOVERSION), Linux; the Wine collector tests; pkg/store and the stores' comparison on both stores)" $(GO) test -count=1 -v ./... || rc=1; \
	.ci/step "go test against PostgreSQL: pkg/fleet and importer (import, reports, drills) with ACTCOURIER_TEST_DB=postgres" \
	  env ACTCOURIER_TEST_DB=postgres $(GO) test -count=1 -v -skip '$(PG_ONLY)' ./pkg/fleet ./importer || rc=1; \
	.ci/step "fuzz: every target for $(FUZZTIME)" $(MAKE) --no-print-directory fuzz || rc=1; \
	$(MAKE) --no-print-directory test-386 || rc=1; \
	$(MAKE) --no-print-directory test-windows || rc=1; \
	$(MAKE) --no-print-directory test-sign || rc=1; \
	echo; echo "== CI summary ($(SUMMARY))"; cat $(SUMMARY); exit $$rc

# The packages the collector is built from, as 386 code with the Go that
# builds the 32-bit collector: where this kernel runs 32-bit programs the
# tests run, else they are compiled only and the step says SKIPPED.
test-386:
	@SUMMARY=$(SUMMARY) GO=$(GO) GO_WIN7=$(GO_WIN7) .ci/step "386: the collector's packages as 32-bit code ($(GO_WIN7))" .ci/test-386

test-windows:
	@SUMMARY=$(SUMMARY) GO=$(GO) GO_WIN7=$(GO_WIN7) GO_WINE=$(GO_WINE) .ci/wine-suite

test-sign:
	@SUMMARY=$(SUMMARY) .ci/step "signed build: throwaway certificate, verified, run under Wine" .ci/sign-test

# Every fuzz target, bounded; new crashers land in <pkg>/testdata/fuzz,
# where the kept corpus already runs as part of go test.
# A target that fails (a crash found: its input is written under the
# package's testdata/fuzz, where every go test runs it from then on) is
# shown in full and fails the step once all targets have run. Go's fuzzer
# now and then ends a run with FAIL and no failing input at all (a worker
# lost at the deadline); such a run is said and tried once more, and
# fails the step only if it fails again.
# An input that is new (coverage) is minimized before fuzzing goes on,
# and every package of the test binary is instrumented: archive/zip and
# compress/flate give a new one every second or so. At 2s of minimizing
# each, pkg/worklist's FuzzReadXLSX spent its 20 s minimizing 6 to 8
# inputs (the fuzzer shows 0 execs/s meanwhile); at 100 tries each it
# runs 62,000 to 67,000 inputs and keeps 167 to 197. A crasher is
# minimized as far as 100 tries take it.
FUZZRUN = $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x $$pkg >$$log 2>&1
fuzz:
	@set -e; failed=""; log=$$(mktemp); for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    if $(FUZZRUN); then tail -3 $$log; continue; fi; \
	    if ! grep -q "Failing input written" $$log; then \
	      echo "  FAIL without a failing input (the fuzzer's own): once more"; \
	      if $(FUZZRUN); then tail -3 $$log; continue; fi; fi; \
	    head -60 $$log; failed="$$failed $$pkg.$$f"; \
	  done; done; rm -f $$log; \
	if [ -n "$$failed" ]; then echo "FAILED fuzz targets:$$failed"; exit 1; fi

# Keep up to FUZZKEEP of the inputs the fuzzers found interesting (from the
# Go build cache) in <pkg>/testdata/fuzz/<target>, so every go test runs them.
FUZZKEEP ?= 40
fuzz-corpus:
	@set -e; cache=$$($(GO) env GOCACHE)/fuzz; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    [ -d "$$cache/$$pkg/$$f" ] || continue; mkdir -p "$$dir/testdata/fuzz/$$f"; \
	    ls -S -r "$$cache/$$pkg/$$f" | head -n $(FUZZKEEP) | while read e; do cp -n "$$cache/$$pkg/$$f/$$e" "$$dir/testdata/fuzz/$$f/"; done; \
	    echo "$$pkg $$f: $$(ls "$$dir/testdata/fuzz/$$f" | wc -l) inputs kept"; \
	  done; done

# Speed and size against the targets of docs/performance.md, in one table.
bench: deps build
	$(GO) run ./.ci/bench

demo: deps build
	@sh .ci/demo.sh

clean:
	rm -rf $(DIST)
