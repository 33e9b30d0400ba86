package bunstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/services"
)

// dialects opens a fresh, migrated store per test on each database.
var dialects = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "sub", "authd.db") }},
	{"postgres", func(t *testing.T) string { return services.Postgres(t) }},
}

func openStore(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{DatabaseURL: url}, nil)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func migrated(t *testing.T, url string) *Store {
	t.Helper()
	s := openStore(t, url)
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

func TestContracts(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Run("Users", func(t *testing.T) {
				portstest.TestUsers(t, func(t *testing.T) ports.Users { return migrated(t, d.url(t)) })
			})
			t.Run("RefreshTokens", func(t *testing.T) {
				portstest.TestRefreshTokens(t, func(t *testing.T) (ports.RefreshTokens, ports.Users) {
					s := migrated(t, d.url(t))
					return s, s
				})
			})
			t.Run("Logins", func(t *testing.T) {
				portstest.TestLogins(t, func(t *testing.T) portstest.LoginStore { return migrated(t, d.url(t)) })
			})
			t.Run("SMSLog", func(t *testing.T) {
				portstest.TestSMSLog(t, func(t *testing.T) ports.SMSLog { return migrated(t, d.url(t)) })
			})
			t.Run("Sessions", func(t *testing.T) {
				portstest.TestSessions(t, func(t *testing.T) portstest.SessionStore { return migrated(t, d.url(t)) })
			})
		})
	}
}

// TestSQLiteManyConnections runs the contracts with a pool of several
// SQLite connections: WAL, busy_timeout and BEGIN IMMEDIATE must keep
// concurrent writers from failing with SQLITE_BUSY.
func TestSQLiteManyConnections(t *testing.T) {
	open := func(t *testing.T) *Store {
		s, err := Open(t.Context(), Config{DatabaseURL: "sqlite:" + t.TempDir() + "/a.db", MaxOpenConns: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	portstest.TestUsers(t, func(t *testing.T) ports.Users { return open(t) })
	portstest.TestRefreshTokens(t, func(t *testing.T) (ports.RefreshTokens, ports.Users) { s := open(t); return s, s })
	// The first login is a transaction: concurrent first logins for one
	// phone on several connections must still create one user.
	portstest.TestLogins(t, func(t *testing.T) portstest.LoginStore { return open(t) })
}
