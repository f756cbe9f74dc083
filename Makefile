# ActCourier build, test and demo. `make help` lists the targets.

GO          ?= go
GO_WIN7     ?= go1.20.14
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -buildid= -X github.com/actcourier/actcourier/pkg/version.stamp=$(VERSION)
BUILD       := $(GO) build -trimpath -ldflags "$(LDFLAGS)"
DIST        ?= dist
FUZZTIME    ?= 20s
# Windows 7 builds stay under this many bytes (issue: 6 MiB).
WIN7_MAX    := 6291456

.PHONY: help deps build win7 check test fuzz fuzz-corpus bench demo clean

help:
	@echo "make demo   - install what is missing, then run the end-to-end demo"
	@echo "make bench  - measure sizes, import throughput, report time and memory, collector time under wine"
	@echo "make test   - install what is missing, then run every check and test"
	@echo "make build  - release binaries and SHA256SUMS into $(DIST)/"

deps:
	@sh .ci/deps.sh

# Windows 7 (Go 1.20.14: the last Go that runs there), stripped, reproducible.
win7:
	@mkdir -p $(DIST)
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=386 $(BUILD) -o $(DIST)/collector-win7-386.exe ./collector
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=amd64 $(BUILD) -o $(DIST)/collector-win7-amd64.exe ./collector
	@for f in $(DIST)/collector-win7-386.exe $(DIST)/collector-win7-amd64.exe; do \
	  s=$$(wc -c < $$f); echo "$$f: $$s bytes"; \
	  if [ $$s -ge $(WIN7_MAX) ]; then echo "$$f is over 6 MiB" >&2; exit 1; fi; done

build: win7
	GOOS=windows GOARCH=amd64 $(BUILD) -o $(DIST)/collector-windows-amd64.exe ./collector
	GOOS=windows GOARCH=arm64 $(BUILD) -o $(DIST)/collector-windows-arm64.exe ./collector
	GOOS=linux GOARCH=amd64 $(BUILD) -o $(DIST)/importer-linux-amd64 ./importer
	GOOS=windows GOARCH=amd64 $(BUILD) -o $(DIST)/importer-windows-amd64.exe ./importer
	GOOS=darwin GOARCH=arm64 $(BUILD) -o $(DIST)/importer-darwin-arm64 ./importer
	cd $(DIST) && sha256sum collector-* importer-* > SHA256SUMS

# gofmt, vet (current Go and Go 1.20 for what the collector imports), the
# Windows 7 builds and their size.
check: win7
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change: $$out" >&2; exit 1; fi
	$(GO) vet ./... ./.ci/bench
	GOTOOLCHAIN=$(GO_WIN7) GOOS=windows GOARCH=386 $(GO) vet ./collector/... ./bundle/... ./pkg/licensing/... ./pkg/slmgr/... ./pkg/stick/... ./pkg/version/...

test: deps check
	$(GO) test -count=1 ./...
	$(MAKE) fuzz

# Every fuzz target, bounded; new crashers land in <pkg>/testdata/fuzz,
# where the kept corpus already runs as part of go test.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg 2>&1 | tail -3; \
	  done; done

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
