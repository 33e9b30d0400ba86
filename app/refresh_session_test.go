package app_test

import (
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

func TestRefreshSessionRotates(t *testing.T) {
	f := newFixture(t)
	s := f.register(t, phoneA)
	f.clock.Advance(time.Minute)
	r, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, nil)
	if r.RefreshToken == "" || r.RefreshToken == s.RefreshToken {
		t.Fatalf("refresh token not rotated: %q", r.RefreshToken)
	}
	if r.User.ID != s.User.ID || r.Created || r.RefreshTTL != f.cfg.RefreshTTL {
		t.Fatalf("session = %+v", r)
	}
	if sessionID(t, r) != sessionID(t, s) || !strings.HasPrefix(r.Access.Token, "access:"+s.User.ID+":") {
		t.Fatalf("access token %q left the login session %q", r.Access.Token, sessionID(t, s))
	}
	if !r.Access.ExpiresAt.After(s.Access.ExpiresAt) {
		t.Fatal("the new access token was not issued now")
	}
	// The new token rotates in turn.
	_, err = f.refresh.Handle(t.Context(), r.RefreshToken, f.client())
	checkErr(t, err, nil)
}

// A retired token presented again kills the whole login session, and only it.
func TestRefreshSessionReuseRevokesFamily(t *testing.T) {
	f := newFixture(t)
	s := f.register(t, phoneA)
	other := f.register(t, phoneA)
	r, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, nil)

	_, err = f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, domain.ErrInvalidToken)
	_, err = f.refresh.Handle(t.Context(), r.RefreshToken, f.client())
	checkErr(t, err, domain.ErrInvalidToken)
	_, err = f.refresh.Handle(t.Context(), other.RefreshToken, f.client())
	checkErr(t, err, nil)
}

func TestRefreshSessionRefuses(t *testing.T) {
	tests := []struct {
		name    string
		token   func(t *testing.T, f *fixture) string
		wantErr error
	}{
		{"empty", func(*testing.T, *fixture) string { return "" }, domain.ErrInvalidRequest},
		{"unknown", func(*testing.T, *fixture) string { return "bm90LWEtdG9rZW4" }, domain.ErrInvalidToken},
		{"access token instead", func(t *testing.T, f *fixture) string {
			return f.register(t, phoneA).Access.Token
		}, domain.ErrInvalidToken},
		{"expired", func(t *testing.T, f *fixture) string {
			s := f.register(t, phoneA)
			f.clock.Advance(f.cfg.RefreshTTL)
			return s.RefreshToken
		}, domain.ErrInvalidToken},
		{"logged out", func(t *testing.T, f *fixture) string {
			s := f.register(t, phoneA)
			checkErr(t, f.logout.Handle(t.Context(), s.RefreshToken), nil)
			return s.RefreshToken
		}, domain.ErrInvalidToken},
		{"disabled user", func(t *testing.T, f *fixture) string {
			s := f.register(t, phoneA)
			if err := f.store.SetDisabled(t.Context(), s.User.ID, true, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			return s.RefreshToken
		}, domain.ErrAccountDisabled},
		{"store down", func(t *testing.T, f *fixture) string {
			s := f.register(t, phoneA)
			f.store.Err = portstest.ErrDown
			return s.RefreshToken
		}, domain.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			token := tt.token(t, f)
			r, err := f.refresh.Handle(t.Context(), token, f.client())
			checkErr(t, err, tt.wantErr)
			if r.RefreshToken != "" {
				t.Fatal("a refused refresh returned a token")
			}
		})
	}
}

// Refusing a disabled user also ends the session: enabling the account
// again does not bring the old refresh token back.
func TestRefreshSessionDisabledUserLosesSession(t *testing.T) {
	f := newFixture(t)
	s := f.register(t, phoneA)
	if err := f.store.SetDisabled(t.Context(), s.User.ID, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, domain.ErrAccountDisabled)
	hash := sha256.Sum256([]byte(s.RefreshToken)) // the store keeps SHA-256 of the token
	if rt, err := f.store.Get(t.Context(), hash[:]); err != nil || rt.RevokedAt.IsZero() {
		t.Fatalf("stored token = %+v, %v; want its family revoked", rt, err)
	}
	if err := f.store.SetDisabled(t.Context(), s.User.ID, false, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err = f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, domain.ErrInvalidToken)
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	s := f.register(t, phoneA)
	other := f.register(t, phoneA)
	r, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
	checkErr(t, err, nil)

	// Logging out with a retired token of the session ends the whole session.
	checkErr(t, f.logout.Handle(t.Context(), s.RefreshToken), nil)
	_, err = f.refresh.Handle(t.Context(), r.RefreshToken, f.client())
	checkErr(t, err, domain.ErrInvalidToken)
	// Twice is fine; other sessions live on.
	checkErr(t, f.logout.Handle(t.Context(), r.RefreshToken), nil)
	_, err = f.refresh.Handle(t.Context(), other.RefreshToken, f.client())
	checkErr(t, err, nil)
}

func TestLogoutRefuses(t *testing.T) {
	tests := []struct {
		name, token string
		breaks      func(*fixture)
		wantErr     error
	}{
		{"empty", "", nil, domain.ErrInvalidRequest},
		{"unknown", "bm90LWEtdG9rZW4", nil, domain.ErrInvalidToken},
		{"store down", "bm90LWEtdG9rZW4", func(f *fixture) { f.store.Err = portstest.ErrDown }, domain.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.breaks != nil {
				tt.breaks(f)
			}
			checkErr(t, f.logout.Handle(t.Context(), tt.token), tt.wantErr)
		})
	}
}
