package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

func TestLoginOrRegisterCreatesThenFinds(t *testing.T) {
	f := newFixture(t)
	first := f.register(t, phoneA)
	if !first.Created {
		t.Fatal("first login: Created = false, want true")
	}
	u := first.User
	if u.ID == "" || u.Phone != phoneA || u.HasPassword() || !strings.HasPrefix(u.Username, "user_") {
		t.Fatalf("new user = %+v", u)
	}
	if err := domain.ValidateUsername(u.Username); err != nil {
		t.Fatalf("generated username %q is invalid: %v", u.Username, err)
	}
	if first.RefreshToken == "" || first.RefreshTTL != f.cfg.RefreshTTL || !strings.HasPrefix(first.Access.Token, "access:"+u.ID+":") {
		t.Fatalf("session = %+v", first)
	}
	if got := f.user(t, u.ID).LastLoginAt; !got.Equal(f.clock.Now()) {
		t.Fatalf("LastLoginAt = %s, want %s", got, f.clock.Now())
	}

	second := f.register(t, phoneA)
	if second.Created || second.User.ID != u.ID {
		t.Fatalf("second login: Created = %v, user %s; want false, %s", second.Created, second.User.ID, u.ID)
	}
	if second.RefreshToken == first.RefreshToken || sessionID(t, second) == sessionID(t, first) {
		t.Fatal("a second login must open a new session")
	}
	if n := len(f.store.Users()); n != 1 {
		t.Fatalf("%d users stored, want 1", n)
	}
}

func TestLoginOrRegisterRefusesCodes(t *testing.T) {
	tests := []struct {
		name    string
		present func(t *testing.T, f *fixture) string // sets up, returns the code to present
		wantErr error
	}{
		{"wrong code", func(t *testing.T, f *fixture) string {
			return otherCode(f.sendCode(t, phoneA, domain.PurposeLogin))
		}, domain.ErrInvalidCode},
		{"empty code", func(t *testing.T, f *fixture) string {
			f.sendCode(t, phoneA, domain.PurposeLogin)
			return ""
		}, domain.ErrInvalidRequest},
		{"too short", func(t *testing.T, f *fixture) string {
			return f.sendCode(t, phoneA, domain.PurposeLogin)[:5]
		}, domain.ErrInvalidCode},
		{"too long", func(t *testing.T, f *fixture) string {
			return f.sendCode(t, phoneA, domain.PurposeLogin) + "0"
		}, domain.ErrInvalidCode},
		{"padded with space", func(t *testing.T, f *fixture) string {
			return " " + f.sendCode(t, phoneA, domain.PurposeLogin)
		}, domain.ErrInvalidCode},
		{"letters", func(t *testing.T, f *fixture) string {
			f.sendCode(t, phoneA, domain.PurposeLogin)
			return "abcdef"
		}, domain.ErrInvalidCode},
		{"full-width digits", func(t *testing.T, f *fixture) string {
			f.sendCode(t, phoneA, domain.PurposeLogin)
			return "１２３４５６"
		}, domain.ErrInvalidCode},
		{"never issued", func(*testing.T, *fixture) string { return "123456" }, domain.ErrInvalidCode},
		{"expired", func(t *testing.T, f *fixture) string {
			code := f.sendCode(t, phoneA, domain.PurposeLogin)
			f.clock.Advance(f.cfg.Code.TTL)
			return code
		}, domain.ErrInvalidCode},
		{"code sent to another phone", func(t *testing.T, f *fixture) string {
			return f.sendCode(t, phoneB, domain.PurposeLogin)
		}, domain.ErrInvalidCode},
		{"reset_password code", func(t *testing.T, f *fixture) string {
			f.seedUser(t, domain.User{ID: "u1", Username: "alice", Phone: phoneA}, "")
			return f.sendCode(t, phoneA, domain.PurposeResetPassword)
		}, domain.ErrInvalidCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			code := tt.present(t, f)
			users := len(f.store.Users())
			_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
			checkErr(t, err, tt.wantErr)
			if n := len(f.store.Users()); n != users {
				t.Fatalf("a refused login changed the user count from %d to %d", users, n)
			}
		})
	}
}

func TestLoginOrRegisterBadPhone(t *testing.T) {
	f := newFixture(t)
	_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: "not a phone", Code: "123456", Client: f.client()})
	checkErr(t, err, domain.ErrInvalidPhone)
}

// After MaxAttempts wrong tries the code is burned: even the right one fails.
func TestLoginOrRegisterBurnsCode(t *testing.T) {
	tests := []struct {
		wrongTries int
		wantErr    error
	}{
		{0, nil},
		{2, nil}, // MaxAttempts is 3
		{3, domain.ErrInvalidCode},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d wrong tries", tt.wrongTries), func(t *testing.T) {
			f := newFixture(t)
			code := f.sendCode(t, phoneA, domain.PurposeLogin)
			for range tt.wrongTries {
				_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: otherCode(code), Client: f.client()})
				checkErr(t, err, domain.ErrInvalidCode)
			}
			_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestLoginOrRegisterCodeIsSingleUse(t *testing.T) {
	f := newFixture(t)
	code := f.sendCode(t, phoneA, domain.PurposeLogin)
	_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
	checkErr(t, err, nil)
	_, err = f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
	checkErr(t, err, domain.ErrInvalidCode)
}

func TestLoginOrRegisterPerIPFailureCap(t *testing.T) {
	f := newFixture(t)
	ip := app.Client{IP: "203.0.113.7"}
	code := f.sendCode(t, phoneA, domain.PurposeLogin)
	// Failures against phones with no code, so phoneA's code stays unburned.
	for i := range f.cfg.IPLoginLimit {
		_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneB, Code: "00000" + string(rune('0'+i)), Client: ip})
		checkErr(t, err, domain.ErrInvalidCode)
	}
	_, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: ip})
	if rl := rateLimited(t, err, "ip_login"); rl.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter = %s, want at most 1h", rl.RetryAfter)
	}
	// The limit refused before verifying, so the code still works elsewhere.
	_, err = f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
	checkErr(t, err, nil)
	f.clock.Advance(time.Hour)
	_, err = f.login.Handle(t.Context(), app.LoginInput{Phone: phoneB, Code: "000000", Client: ip})
	checkErr(t, err, domain.ErrInvalidCode)
}

func TestLoginOrRegisterDisabledUser(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, phoneA).User
	if err := f.store.SetDisabled(t.Context(), u.ID, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	code := f.sendCode(t, phoneA, domain.PurposeLogin)
	s, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
	checkErr(t, err, domain.ErrAccountDisabled)
	if s.RefreshToken != "" {
		t.Fatal("a disabled user got a session")
	}
}

func TestLoginOrRegisterInitialPassword(t *testing.T) {
	tests := []struct {
		name         string
		optIn        bool
		smsFails     bool
		wantPassword bool
	}{
		{"off by default", false, false, false},
		{"opted in", true, false, true},
		{"opted in, SMS fails: stays passwordless", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *app.Config) { c.SendInitialPassword = tt.optIn })
			code := f.sendCode(t, phoneA, domain.PurposeLogin)
			if tt.smsFails {
				f.sms.Err = domain.ErrSMSDeliveryFailed
			}
			s, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
			checkErr(t, err, nil)
			if !s.Created || s.User.HasPassword() != tt.wantPassword || f.user(t, s.User.ID).HasPassword() != tt.wantPassword {
				t.Fatalf("created %v, has password %v; want true, %v", s.Created, s.User.HasPassword(), tt.wantPassword)
			}
			msg, _ := f.sms.Last(phoneA)
			if !tt.wantPassword {
				if msg.Purpose == domain.PurposeInitialPassword {
					t.Fatal("an initial password was texted")
				}
				return
			}
			if msg.Purpose != domain.PurposeInitialPassword || len(msg.Code) < domain.MinPasswordLength {
				t.Fatalf("last SMS = %+v, want an initial password", msg)
			}
			for _, login := range []string{phoneA, nationalA} {
				_, err = f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: login, Password: msg.Code, Client: f.client()})
				checkErr(t, err, nil)
			}
			// Only registration texts a password.
			f.clock.Advance(f.cfg.Code.ResendAfter)
			f.register(t, phoneA)
			if last, _ := f.sms.Last(phoneA); last.Purpose != domain.PurposeLogin {
				t.Fatalf("a later login texted %s", last.Purpose)
			}
		})
	}
}

func TestLoginOrRegisterDependencyDown(t *testing.T) {
	tests := []struct {
		name   string
		breaks func(*fixture)
	}{
		{"code store", func(f *fixture) { f.codes.Err = portstest.ErrDown }},
		{"rate limiter", func(f *fixture) { f.limiter.Err = portstest.ErrDown }},
		{"user store", func(f *fixture) { f.store.Err = portstest.ErrDown }},
		{"token signer", func(f *fixture) { f.tokens.Err = portstest.ErrDown }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			code := f.sendCode(t, phoneA, domain.PurposeLogin)
			tt.breaks(f)
			s, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: code, Client: f.client()})
			checkErr(t, err, domain.ErrUnavailable)
			if s.RefreshToken != "" {
				t.Fatal("got a session with a dependency down")
			}
		})
	}
}
