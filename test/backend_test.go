// Package test holds authd's black-box suites: the HTTP API as a client sees
// it, through the same fx graph cmd/authd runs, on the embedded default and
// again on Postgres + Redis.
package test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// backend is one set of production adapters for the suites to run on.
type backend struct {
	name string
	// env returns the settings that select the backend for one test,
	// creating what it needs (a fresh database, a Redis key prefix).
	env func(t *testing.T) map[string]string
}

var embedded = backend{name: "embedded", env: func(*testing.T) map[string]string { return map[string]string{} }}

var postgresRedis = backend{name: "postgres+redis", env: func(t *testing.T) map[string]string {
	dbURL := services.Postgres(t)
	migrate(t, dbURL)
	var b [6]byte
	_, _ = rand.Read(b[:])
	return map[string]string{
		"AUTHD_DATABASE_URL":     dbURL,
		"AUTHD_REDIS_URL":        services.Redis(t),
		"AUTHD_REDIS_KEY_PREFIX": "authdtest" + hex.EncodeToString(b[:]),
		"AUTHD_CODE_SECRET":      "test-code-secret-0123456789",
	}
}}

// backends are every backend the suites run on.
var backends = []backend{embedded, postgresRedis}

// migrate applies the schema, as an operator's `authd migrate` would.
func migrate(t *testing.T, dbURL string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := bunstore.Open(ctx, bunstore.Config{DatabaseURL: dbURL}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

// forEachBackend runs fn as a subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// start runs an instance on backend b with extra settings.
func start(t *testing.T, b backend, o harness.Options) *harness.Instance {
	t.Helper()
	env := b.env(t)
	for k, v := range o.Env {
		env[k] = v
	}
	o.Env = env
	o.FastPasswords = true
	return harness.Start(t, o)
}

var phoneSeq atomic.Int64

// newPhone hands out distinct mainland mobile numbers in national format.
func newPhone() string {
	return fmt.Sprintf("1380013%04d", phoneSeq.Add(1)%10000)
}

// e164 is the form responses use for a number from newPhone.
func e164(national string) string { return "+86" + national }
