# authd: `make run` serves on :8080 on the embedded default; `make test` runs
# the whole suite (Postgres/Redis suites skip when the servers are down,
# unless AUTHD_TEST_REQUIRE_SERVICES=1, as .ci/run sets).
GO ?= go
BIN := bin

.PHONY: run build test test-short lint bench services fmt image

run:
	$(GO) run ./cmd/authd serve

build:
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
