package app_test

import (
	"strings"
	"testing"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

// canLogin reports whether phone A logs in with password.
func canLogin(t *testing.T, f *fixture, password string) bool {
	t.Helper()
	_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: phoneA, Password: password, Client: f.client()})
	return err == nil
}

func TestSetPasswordRules(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantErr  error
		weak     bool
	}{
		{"ok", "tr0ub4dor&3", nil, false},
		{"8 ASCII characters", "k9#mQ2!z", nil, false},
		{"8 multi-byte characters", "密码很长很长很长", nil, false},
		{"128 characters", strings.Repeat("é", domain.MaxPasswordLength), nil, false},
		{"empty", "", domain.ErrInvalidRequest, false},
		{"7 characters", "k9#mQ2!", nil, true},
		{"7 multi-byte characters (21 bytes)", "密码很长很长很", nil, true},
		{"129 characters", strings.Repeat("a", domain.MaxPasswordLength+1), nil, true},
		{"invalid UTF-8", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7", nil, true},
		{"common password", "MyPassword123", nil, true},
		{"contains the phone number", "x" + phoneA + "x", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			u := f.register(t, phoneA).User
			err := f.setPassword.Handle(t.Context(), app.SetPasswordInput{UserID: u.ID, NewPassword: tt.password})
			if tt.weak {
				weak(t, err)
			} else {
				checkErr(t, err, tt.wantErr)
			}
			if got := f.user(t, u.ID).HasPassword(); got != (err == nil) {
				t.Fatalf("has password = %v after error %v", got, err)
			}
			if err == nil && !canLogin(t, f, tt.password) {
				t.Fatal("the new password does not log in")
			}
		})
	}
}

func TestSetPasswordRefusesGuessableFromUsername(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, phoneA).User
	weak(t, f.setPassword.Handle(t.Context(), app.SetPasswordInput{UserID: u.ID, NewPassword: strings.ToUpper(u.Username) + "!"}))
}

// Changing an existing password requires the current one.
func TestSetPasswordChange(t *testing.T) {
	tests := []struct {
		name, current string
		wantErr       error
	}{
		{"right current password", alicePassword, nil},
		{"no current password", "", domain.ErrInvalidCredentials},
		{"wrong current password", "wrong horse 9", domain.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			alice, _ := seedAlice(t, f)
			err := f.setPassword.Handle(t.Context(), app.SetPasswordInput{UserID: alice.ID, CurrentPassword: tt.current, NewPassword: "tr0ub4dor&3"})
			checkErr(t, err, tt.wantErr)
			changed := tt.wantErr == nil
			if canLogin(t, f, "tr0ub4dor&3") != changed || canLogin(t, f, alicePassword) == changed {
				t.Fatalf("after error %v the password changed = %v, want %v", err, !changed, changed)
			}
		})
	}
}

func TestSetPasswordRefusesUser(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, f *fixture) string // returns the user id
		wantErr error
	}{
		{"unknown user", func(*testing.T, *fixture) string { return "no-such-user" }, domain.ErrInvalidToken},
		{"disabled user", func(t *testing.T, f *fixture) string {
			u := f.register(t, phoneA).User
			if err := f.store.SetDisabled(t.Context(), u.ID, true, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}, domain.ErrAccountDisabled},
		{"store down", func(t *testing.T, f *fixture) string {
			u := f.register(t, phoneA).User
			f.store.Err = portstest.ErrDown
			return u.ID
		}, domain.ErrUnavailable},
		{"hashing down", func(t *testing.T, f *fixture) string {
			u := f.register(t, phoneA).User
			f.passwords.Err = portstest.ErrDown
			return u.ID
		}, domain.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			id := tt.setup(t, f)
			checkErr(t, f.setPassword.Handle(t.Context(), app.SetPasswordInput{UserID: id, NewPassword: "tr0ub4dor&3"}), tt.wantErr)
		})
	}
}

// Setting a password logs out every other session of the user; the caller's
// session (its refresh token family) stays.
func TestSetPasswordRevokesOtherSessions(t *testing.T) {
	tests := []struct {
		name     string
		keepMine bool
	}{
		{"caller's session given", true},
		{"no session given", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			mine := f.register(t, phoneA)
			theirs := f.register(t, phoneA)
			stranger := f.register(t, phoneB)
			in := app.SetPasswordInput{UserID: mine.User.ID, NewPassword: "tr0ub4dor&3"}
			if tt.keepMine {
				in.SessionID = sessionID(t, mine)
			}
			checkErr(t, f.setPassword.Handle(t.Context(), in), nil)

			_, err := f.refresh.Handle(t.Context(), theirs.RefreshToken, f.client())
			checkErr(t, err, domain.ErrInvalidToken)
			_, err = f.refresh.Handle(t.Context(), stranger.RefreshToken, f.client())
			checkErr(t, err, nil)
			_, err = f.refresh.Handle(t.Context(), mine.RefreshToken, f.client())
			if tt.keepMine {
				checkErr(t, err, nil)
			} else {
				checkErr(t, err, domain.ErrInvalidToken)
			}
		})
	}
}

func TestSetPasswordLimitsCurrentPasswordGuesses(t *testing.T) {
	f := newFixture(t)
	alice, _ := seedAlice(t, f)
	in := app.SetPasswordInput{UserID: alice.ID, CurrentPassword: "wrong horse 9", NewPassword: "tr0ub4dor&3"}
	for range testConfig().LoginFailureLimit {
		checkErr(t, f.setPassword.Handle(t.Context(), in), domain.ErrInvalidCredentials)
	}
	// Budget spent: even the right current password is refused for now.
	in.CurrentPassword = alicePassword
	rateLimited(t, f.setPassword.Handle(t.Context(), in), "login_failures")
	if canLogin(t, f, "tr0ub4dor&3") {
		t.Fatal("password changed while rate limited")
	}
}
