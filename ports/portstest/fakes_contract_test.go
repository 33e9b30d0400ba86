package portstest_test

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

// The fakes pass the same contracts as the real stores, so use-case tests
// written against them cannot drift from production behaviour.

func TestFakeStoreUsers(t *testing.T) {
	portstest.TestUsers(t, func(*testing.T) ports.Users { return portstest.NewStore() })
}

func TestFakeStoreRefreshTokens(t *testing.T) {
	portstest.TestRefreshTokens(t, func(*testing.T) (ports.RefreshTokens, ports.Users) {
		s := portstest.NewStore()
		return s, s
	})
}

func TestFakeStoreLogins(t *testing.T) {
	portstest.TestLogins(t, func(*testing.T) portstest.LoginStore { return portstest.NewStore() })
}

func TestFakeSigningKeys(t *testing.T) {
	portstest.TestSigningKeys(t, func(*testing.T) ports.SigningKeys { return &portstest.SigningKeys{} })
}

func TestFakeStoreSessions(t *testing.T) {
	portstest.TestSessions(t, func(*testing.T) portstest.SessionStore { return portstest.NewStore() })
}

func TestFakeEndedSessions(t *testing.T) {
	portstest.TestEndedSessions(t, func(*testing.T) (ports.EndedSessions, ports.EndedSessions) {
		e := &portstest.EndedSessions{}
		return e, e
	})
}
