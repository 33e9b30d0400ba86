package app_test

import (
	"testing"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

const newPassword = "tr0ub4dor&3"

func TestResetPasswordSucceeds(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	s1, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: alicePassword, Client: f.client()})
	checkErr(t, err, nil)
	s2 := f.register(t, phoneA)
	code := f.sendCode(t, phoneA, domain.PurposeResetPassword)

	in := app.ResetPasswordInput{Phone: nationalA, Code: code, NewPassword: newPassword, Client: f.client()}
	checkErr(t, f.resetPassword.Handle(t.Context(), in), nil)

	for _, s := range []app.Session{s1, s2} {
		_, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
		checkErr(t, err, domain.ErrInvalidToken)
	}
	if !canLogin(t, f, newPassword) || canLogin(t, f, alicePassword) {
		t.Fatal("the password was not replaced")
	}
	// The code was used up.
	in.NewPassword = "another-g00d-one"
	checkErr(t, f.resetPassword.Handle(t.Context(), in), domain.ErrInvalidCode)
}

// A passwordless (SMS-registered) user may set a first password by reset.
func TestResetPasswordFirstPassword(t *testing.T) {
	f := newFixture(t)
	f.register(t, phoneA)
	code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
	checkErr(t, f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword, Client: f.client()}), nil)
	if !canLogin(t, f, newPassword) {
		t.Fatal("the reset password does not log in")
	}
}

func TestResetPasswordRefuses(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, f *fixture) app.ResetPasswordInput
		wantErr  error
		wantWeak bool
	}{
		{"login code", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: phoneA, Code: f.sendCode(t, phoneA, domain.PurposeLogin), NewPassword: newPassword}
		}, domain.ErrInvalidCode, false},
		{"wrong code", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
			return app.ResetPasswordInput{Phone: phoneA, Code: otherCode(code), NewPassword: newPassword}
		}, domain.ErrInvalidCode, false},
		{"malformed code", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			f.sendCode(t, phoneA, domain.PurposeResetPassword)
			return app.ResetPasswordInput{Phone: phoneA, Code: "12ab", NewPassword: newPassword}
		}, domain.ErrInvalidCode, false},
		{"expired code", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
			f.clock.Advance(f.cfg.Code.TTL)
			return app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword}
		}, domain.ErrInvalidCode, false},
		{"unregistered phone", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: "+8613700000000", Purpose: "reset_password", Client: f.client()})
			checkErr(t, err, nil)
			return app.ResetPasswordInput{Phone: "+8613700000000", Code: "123456", NewPassword: newPassword}
		}, domain.ErrInvalidCode, false},
		{"no code", func(*testing.T, *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: phoneA, NewPassword: newPassword}
		}, domain.ErrInvalidRequest, false},
		{"no password", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: phoneA, Code: f.sendCode(t, phoneA, domain.PurposeResetPassword)}
		}, domain.ErrInvalidRequest, false},
		{"bad phone", func(*testing.T, *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: "nope", Code: "123456", NewPassword: newPassword}
		}, domain.ErrInvalidPhone, false},
		{"too short", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: phoneA, Code: f.sendCode(t, phoneA, domain.PurposeResetPassword), NewPassword: "k9#mQ2!"}
		}, nil, true},
		// Judged against the phone only: user details would tell whose it is.
		{"guessable from the phone", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			return app.ResetPasswordInput{Phone: phoneA, Code: f.sendCode(t, phoneA, domain.PurposeResetPassword), NewPassword: phoneA + "!"}
		}, nil, true},
		{"disabled user", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
			if err := f.store.SetDisabled(t.Context(), "u-alice", true, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			return app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword}
		}, domain.ErrAccountDisabled, false},
		{"user store down", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
			f.store.Err = portstest.ErrDown
			return app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword}
		}, domain.ErrUnavailable, false},
		{"code store down", func(t *testing.T, f *fixture) app.ResetPasswordInput {
			code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
			f.codes.Err = portstest.ErrDown
			return app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword}
		}, domain.ErrUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			alice, _ := seedAlice(t, f)
			in := tt.setup(t, f)
			in.Client = f.client()
			err := f.resetPassword.Handle(t.Context(), in)
			if tt.wantWeak {
				weak(t, err)
			} else {
				checkErr(t, err, tt.wantErr)
			}
			f.store.Err = nil
			if got := f.user(t, alice.ID).PasswordHash; got != alice.PasswordHash {
				t.Fatal("a refused reset changed the password")
			}
		})
	}
}

// The strength check comes before the code, so a refused password leaves the
// code usable.
func TestResetPasswordWeakPasswordKeepsCode(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
	for range f.cfg.Code.MaxAttempts + 1 {
		weak(t, f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: "short", Client: f.client()}))
	}
	checkErr(t, f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword, Client: f.client()}), nil)
}

// Wrong reset codes count against the client's IP like wrong login codes.
func TestResetPasswordPerIPFailureCap(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	ip := app.Client{IP: "203.0.113.8"}
	for range f.cfg.IPLoginLimit {
		err := f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneB, Code: "000000", NewPassword: newPassword, Client: ip})
		checkErr(t, err, domain.ErrInvalidCode)
	}
	code := f.sendCode(t, phoneA, domain.PurposeResetPassword)
	err := f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneA, Code: code, NewPassword: newPassword, Client: ip})
	rateLimited(t, err, "ip_login")
}

// The answer must not tell a registered phone from an unregistered one, even
// for a new password that contains the phone number (which the strength
// check counts against the password).
func TestResetPasswordDoesNotRevealRegistration(t *testing.T) {
	for _, phone := range []string{phoneA, "+8613700000000"} {
		t.Run(phone, func(t *testing.T) {
			f := newFixture(t)
			seedAlice(t, f)
			err := f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phone, Code: "123456",
				NewPassword: "pw" + phone + "!", Client: f.client()})
			weak(t, err)
		})
	}
}
