package bunstore

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/test/services"
)

// closedPort returns a local TCP port nobody listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestUnreachablePostgresIsUnavailable(t *testing.T) {
	s := openStore(t, "postgres://postgres@"+closedPort(t)+"/authd?sslmode=disable&dial_timeout=1s")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	checks := map[string]error{
		"Ping":        s.Ping(ctx),
		"CheckSchema": s.CheckSchema(ctx),
		"Migrate":     s.Migrate(ctx),
		"TouchLogin":  s.TouchLogin(ctx, "id", time.Now()),
	}
	_, err := s.ByPhone(ctx, "+8613711112222")
	checks["ByPhone"] = err
	_, err = s.Rotate(ctx, []byte("h"), domain.RefreshToken{}, time.Now())
	checks["Rotate"] = err
	for name, err := range checks {
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("%s: %v, want an error matching domain.ErrUnavailable", name, err)
		}
	}
}

// TestPoolRecovers kills every server connection of the pool, as a
// Postgres restart does, and expects the store to work again on its own.
func TestPoolRecovers(t *testing.T) {
	url := services.Postgres(t)
	s := migrated(t, url)
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	var db string
	if err := s.db.QueryRowContext(ctx, "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	admin := openStore(t, services.Env("AUTHD_TEST_POSTGRES_URL", services.DefaultPostgresURL))
	if _, err := admin.db.ExecContext(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", db); err != nil {
		t.Fatal(err)
	}
	var last error
	for range 3 {
		_, last = s.ByPhone(ctx, "+8613711112222")
		if errors.Is(last, domain.ErrNotFound) {
			return
		}
		if !errors.Is(last, domain.ErrUnavailable) {
			t.Fatalf("after terminate: %v, want ErrNotFound or ErrUnavailable", last)
		}
	}
	t.Fatalf("pool did not recover: %v", last)
}
