# authd: `make run` serves on :8080 on the embedded default; `make test` runs
# the whole suite (Postgres/Redis suites skip when the servers are down,
# unless AUTHD_TEST_REQUIRE_SERVICES=1, as .ci/run sets).
GO ?= go
BIN := bin

.PHONY: run build test test-short lint bench services fmt image demo deps vendor-redoc

# deps downloads the modules with a progress line: the first build fetches
# several hundred MB, minutes of silence otherwise.
deps:
	@echo "authd: fetching Go modules (the first time: several hundred MB, a few minutes)..."
	@$(GO) mod download -x 2>&1 | awk '/\.zip: 200/ {n++; printf "\r  %d modules downloaded", n; next} /^#/ {next} {print} END {if (n) print ""}'
	@echo "authd: compiling..."

run: deps
	$(GO) run ./cmd/authd serve

build: deps
	$(GO) build -o $(BIN)/authd ./cmd/authd
	$(GO) build -o $(BIN)/authbench ./tools/authbench

# test: the whole suite under the race detector; the summary lists every
# skipped test with its reason and ends with "N passed, N failed, N skipped".
test:
	$(GO) vet ./...
	$(GO) build -o $(BIN)/test-summary ./tools/testsummary
	$(GO) test -race -count=1 -timeout 12m -json ./... | $(BIN)/test-summary

test-short:
	$(GO) test -count=1 ./...

# lint: vet, formatting, tidy go.mod, and golangci-lint (installed into
# GOPATH/bin on first use) with the layering rules of .golangci.yml.
GOLANGCI := $(shell $(GO) env GOPATH)/bin/golangci-lint
lint:
	$(GO) vet ./...
	gofmt -l . | (! grep .)
	$(GO) mod tidy -diff
	test -x $(GOLANGCI) || $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
	$(GOLANGCI) run ./...

# bench starts $(BIN)/authd once per scenario and pass (about 2.5 minutes per
# backend); docs/PERFORMANCE.md explains the numbers. Needs Postgres and
# Redis for the second backend and for the floors (`make services`). Each
# backend's table ends with the change per scenario against the committed
# previous run in docs/bench (copy the new JSON there to commit a new run).
bench: build
	$(BIN)/authbench --authd $(BIN)/authd --json bench-embedded.json --compare docs/bench/bench-embedded.json
	$(BIN)/authbench --authd $(BIN)/authd --backend postgres+redis --json bench-postgres-redis.json --compare docs/bench/bench-postgres-redis.json

# demo serves examples/web on http://127.0.0.1:5173 against a local authd
# (bin/authd on :8080, admin 127.0.0.1:8081) that allows that origin.
DEMO_ORIGIN := http://127.0.0.1:5173
demo: build
	@AUTHD_CORS_ALLOWED_ORIGINS=$(DEMO_ORIGIN) $(BIN)/authd serve & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	$(GO) run ./examples/web/demo -addr 127.0.0.1:5173 -api http://127.0.0.1:8080 -admin http://127.0.0.1:8081

# vendor-redoc re-fetches the pinned Redoc (npm) behind GET /docs and
# checks its integrity hash; the files are committed, builds never need it.
vendor-redoc:
	bash tools/vendor-redoc.sh

# services starts the local Postgres and Redis if they are down (CI does this).
services:
	bash .ci/services.sh

fmt:
	gofmt -w .

# image builds the static binary (CGO_ENABLED=0: SQLite is then the pure-Go
# driver) and the FROM scratch image with podman; nothing is pulled. The CA
# bundle is the host's. `--format docker` keeps the HEALTHCHECK.
IMAGE ?= localhost/authd:latest
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
image:
	mkdir -p $(BIN)/image/data $(BIN)/image/tmp
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/image/authd ./cmd/authd
	cp $(CA_BUNDLE) $(BIN)/image/ca-certificates.crt
	podman build --format docker -f Containerfile -t $(IMAGE) .
