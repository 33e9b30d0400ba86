package app_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

const alicePassword = "correct horse 9"

// seedAlice stores alice (username, email, phone A, a password) and bob
// (phone B, SMS-registered: no password).
func seedAlice(t *testing.T, f *fixture) (alice, bob domain.User) {
	t.Helper()
	alice = f.seedUser(t, domain.User{ID: "u-alice", Username: "Alice", Email: "alice@example.com", Phone: phoneA}, alicePassword)
	bob = f.seedUser(t, domain.User{ID: "u-bob", Username: "bob", Phone: phoneB}, "")
	return alice, bob
}

func TestPasswordLoginFindsTheUser(t *testing.T) {
	logins := map[string]string{
		"username":                "Alice",
		"username, other case":    "aLICE",
		"email":                   "alice@example.com",
		"email, other case":       "ALICE@Example.COM",
		"email, padded":           "  alice@example.com ",
		"phone, E.164":            phoneA,
		"phone, national":         nationalA,
		"phone, with separators":  "137-1111 2222",
		"phone, E.164 with space": "+86 137 1111 2222",
	}
	for name, login := range logins {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			alice, _ := seedAlice(t, f)
			s, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: login, Password: alicePassword, Client: f.client()})
			checkErr(t, err, nil)
			if s.User.ID != alice.ID || s.Created || s.RefreshToken == "" {
				t.Fatalf("session = %+v, want alice's", s)
			}
			if n := f.passwords.Verified.Load(); n != 1 {
				t.Fatalf("Verify called %d times, want 1", n)
			}
			if got := f.user(t, alice.ID).LastLoginAt; !got.Equal(f.clock.Now()) {
				t.Fatalf("last login = %v, want %v", got, f.clock.Now())
			}
		})
	}
}

// Unknown login, wrong password and no password are one answer at one cost.
func TestPasswordLoginRefuses(t *testing.T) {
	tests := []struct {
		name, login, password string
		wantErr               error
		wantVerifies          int64
	}{
		{"unknown username", "carol", alicePassword, domain.ErrInvalidCredentials, 1},
		{"unknown email", "carol@example.com", alicePassword, domain.ErrInvalidCredentials, 1},
		{"unknown phone", "+8613700000000", alicePassword, domain.ErrInvalidCredentials, 1},
		{"wrong password", "alice", "wrong horse 9", domain.ErrInvalidCredentials, 1},
		{"password in other case", "alice", "Correct Horse 9", domain.ErrInvalidCredentials, 1},
		{"password with trailing space", "alice", alicePassword + " ", domain.ErrInvalidCredentials, 1},
		{"account without password", "bob", "anything-at-all", domain.ErrInvalidCredentials, 1},
		{"account without password, by phone", phoneB, "anything-at-all", domain.ErrInvalidCredentials, 1},
		{"empty login", "", alicePassword, domain.ErrInvalidRequest, 0},
		{"blank login", "   ", alicePassword, domain.ErrInvalidRequest, 0},
		{"empty password", "alice", "", domain.ErrInvalidRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			seedAlice(t, f)
			s, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: tt.login, Password: tt.password, Client: f.client()})
			checkErr(t, err, tt.wantErr)
			if s.RefreshToken != "" {
				t.Fatal("a refused login got a session")
			}
			if n := f.passwords.Verified.Load(); n != tt.wantVerifies {
				t.Fatalf("Verify called %d times, want %d", n, tt.wantVerifies)
			}
		})
	}
}

func TestPasswordLoginDisabledUser(t *testing.T) {
	f := newFixture(t)
	alice, _ := seedAlice(t, f)
	if err := f.store.SetDisabled(t.Context(), alice.ID, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: alicePassword, Client: f.client()})
	checkErr(t, err, domain.ErrAccountDisabled)
	// A wrong password must not learn that the account exists.
	_, err = f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: "wrong horse 9", Client: f.client()})
	checkErr(t, err, domain.ErrInvalidCredentials)
}

// The per-login failure budget holds however the login is spelled.
func TestPasswordLoginPerLoginLimit(t *testing.T) {
	tests := []struct {
		name     string
		failures []string // spellings of the login the failures use
		then     string   // the spelling of the right-password attempt
	}{
		{"username", []string{"alice", "alice", "alice"}, "alice"},
		{"username in any case", []string{"alice", "ALICE", "Alice"}, "aLiCe"},
		{"email in any case", []string{"alice@example.com", "ALICE@example.com", "Alice@Example.Com"}, "alice@example.com"},
		{"phone in any form", []string{phoneA, nationalA, "137-1111-2222"}, "+86 137 1111 2222"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			seedAlice(t, f)
			for _, login := range tt.failures { // each from its own IP
				_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: login, Password: "wrong horse 9", Client: f.client()})
				checkErr(t, err, domain.ErrInvalidCredentials)
			}
			verifies := f.passwords.Verified.Load()
			_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: tt.then, Password: alicePassword, Client: f.client()})
			if rl := rateLimited(t, err, "login_failures"); rl.RetryAfter > 15*time.Minute {
				t.Fatalf("RetryAfter = %s, want at most 15m", rl.RetryAfter)
			}
			if f.passwords.Verified.Load() != verifies {
				t.Fatal("a rate-limited login still hashed the password")
			}
			f.clock.Advance(15 * time.Minute)
			_, err = f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: tt.then, Password: alicePassword, Client: f.client()})
			checkErr(t, err, nil)
		})
	}
}

func TestPasswordLoginPerIPLimit(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	ip := app.Client{IP: "203.0.113.5"}
	for _, login := range []string{"u1", "u2", "u3", "u4", "u5"}[:f.cfg.IPLoginLimit] {
		_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: login, Password: "x-wrong-x", Client: ip})
		checkErr(t, err, domain.ErrInvalidCredentials)
	}
	_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: alicePassword, Client: ip})
	if rl := rateLimited(t, err, "ip_login"); rl.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter = %s, want at most 1h", rl.RetryAfter)
	}
	_, err = f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: alicePassword, Client: f.client()})
	checkErr(t, err, nil)
}

// A success forgets the login's failures: two failures, success, two more
// failures and a success is fine under a budget of three.
func TestPasswordLoginSuccessResetsFailures(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	attempt := func(pw string) error {
		_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: pw, Client: f.client()})
		return err
	}
	for range 2 {
		for range f.cfg.LoginFailureLimit - 1 {
			checkErr(t, attempt("wrong horse 9"), domain.ErrInvalidCredentials)
		}
		checkErr(t, attempt(alicePassword), nil)
	}
}

func TestPasswordLoginDependencyDown(t *testing.T) {
	tests := []struct {
		name   string
		breaks func(*fixture)
	}{
		{"user store", func(f *fixture) { f.store.Err = portstest.ErrDown }},
		{"rate limiter", func(f *fixture) { f.limiter.Err = portstest.ErrDown }},
		{"token signer", func(f *fixture) { f.tokens.Err = portstest.ErrDown }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			seedAlice(t, f)
			tt.breaks(f)
			_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: alicePassword, Client: f.client()})
			checkErr(t, err, domain.ErrUnavailable)
		})
	}
}

func TestPasswordLoginOverlongLogin(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	long := "alice@example.com" + strings.Repeat("x", 300)
	_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: long, Password: alicePassword, Client: f.client()})
	checkErr(t, err, domain.ErrInvalidCredentials)
	if n := f.passwords.Verified.Load(); n != 1 {
		t.Fatalf("Verify called %d times, want 1 (same cost as any refusal)", n)
	}
}

// Parallel guesses cannot all slip past the per-login budget: it is taken
// before the password is checked.
func TestPasswordLoginParallelGuessesStayWithinBudget(t *testing.T) {
	f := newFixture(t)
	seedAlice(t, f)
	var wg sync.WaitGroup
	var guessed, limited atomic.Int32
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.passwordLogin.Handle(t.Context(), app.PasswordLoginInput{Login: "alice", Password: fmt.Sprint("guess-", i),
				Client: app.Client{IP: fmt.Sprint("198.51.100.", i)}})
			var rl *domain.RateLimitedError
			switch {
			case errors.Is(err, domain.ErrInvalidCredentials):
				guessed.Add(1)
			case errors.As(err, &rl):
				limited.Add(1)
			default:
				t.Errorf("unexpected error %v", err)
			}
		}()
	}
	wg.Wait()
	if max := int32(testConfig().LoginFailureLimit); guessed.Load() != max || limited.Load() != 30-max {
		t.Fatalf("%d guesses checked, %d limited; want %d checked", guessed.Load(), limited.Load(), max)
	}
}
