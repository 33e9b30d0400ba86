package app_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

// Phones the tests use: A and B are Chinese mobiles (allowed), US is not.
const (
	phoneA    = "+8613711112222"
	nationalA = "13711112222"
	phoneB    = "+8613799998888"
	phoneUS   = "+12025550123"
)

// start is the fixed time every fixture's clock begins at.
var start = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testConfig has small limits so that tests reach them in a few calls.
func testConfig() app.Config {
	return app.Config{
		Code: domain.CodePolicy{Length: 6, TTL: 5 * time.Minute, ResendAfter: time.Minute,
			MaxAttempts: 3, HourlyLimit: 5, DailyLimit: 10},
		CodeSecret:        []byte("test-code-secret"),
		Regions:           domain.RegionPolicy{Regions: map[string]bool{"CN": true}},
		IPCodeLimit:       3,
		IPLoginLimit:      5,
		LoginFailureLimit: 3,
		PhoneLookupLimit:  2,
		RefreshTTL:        24 * time.Hour,
		ExposePhoneLookup: true,
	}
}

// fixture wires every use case to fresh fakes sharing one clock.
type fixture struct {
	cfg       app.Config
	clock     *portstest.Clock
	store     *portstest.Store
	codes     *portstest.Codes
	limiter   *portstest.Limiter
	sms       *portstest.SMS
	passwords *portstest.Passwords
	tokens    *portstest.Tokens
	ended     *portstest.EndedSessions

	requestCode   *app.RequestCode
	login         *app.LoginOrRegister
	passwordLogin *app.PasswordLogin
	refresh       *app.RefreshSession
	logout        *app.Logout
	setPassword   *app.SetPassword
	resetPassword *app.ResetPassword
	checkPhone    *app.CheckPhone
	getProfile    *app.GetProfile
	updateProfile *app.UpdateProfile
	mySessions    *app.MySessions

	ipSeq int
}

// newFixture builds the fixture; tweaks adjust the config first.
func newFixture(t *testing.T, tweaks ...func(*app.Config)) *fixture {
	t.Helper()
	cfg := testConfig()
	for _, tw := range tweaks {
		tw(&cfg)
	}
	f := &fixture{cfg: cfg, clock: portstest.NewClock(start), store: portstest.NewStore(),
		codes: portstest.NewCodes(), limiter: portstest.NewLimiter(), sms: &portstest.SMS{},
		passwords: &portstest.Passwords{}, tokens: &portstest.Tokens{}, ended: &portstest.EndedSessions{}}
	ids := &portstest.IDs{}
	phones, strength := portstest.Phones{}, portstest.Strength{}
	log := slog.New(slog.DiscardHandler)
	sessions := app.NewSessions(cfg, f.tokens, f.store, f.store, f.ended, ids, f.clock)
	codes := app.NewCodeVerifier(cfg, f.codes, f.limiter, f.clock)
	passwords := app.NewPasswords(f.passwords, strength, f.store, f.store, f.ended, f.clock)

	f.requestCode = app.NewRequestCode(cfg, phones, f.store, f.codes, f.limiter, f.sms, ids, f.clock, log)
	f.login = app.NewLoginOrRegister(phones, codes, sessions, app.NewInitialPassword(cfg, passwords, f.sms, ids, log))
	f.passwordLogin = app.NewPasswordLogin(cfg, phones, f.store, f.passwords, f.limiter, sessions, f.clock)
	f.refresh = app.NewRefreshSession(sessions)
	f.logout = app.NewLogout(f.store, f.ended, f.clock)
	f.setPassword = app.NewSetPassword(f.cfg, f.limiter, f.store, passwords, f.clock)
	f.resetPassword = app.NewResetPassword(phones, f.store, codes, passwords)
	f.checkPhone = app.NewCheckPhone(cfg, phones, f.store, f.limiter, f.clock)
	f.getProfile = app.NewGetProfile(f.store)
	f.updateProfile = app.NewUpdateProfile(f.store, phones, f.limiter, f.clock)
	f.mySessions = app.NewMySessions(f.store, f.ended, f.clock)
	return f
}

// client returns a caller with an IP no other call of this fixture used, so
// that per-IP limits only bite in the tests that aim at them.
func (f *fixture) client() app.Client {
	f.ipSeq++
	return app.Client{IP: fmt.Sprintf("198.51.100.%d", f.ipSeq), UserAgent: "test"}
}

// sendCode requests a code for phone (E.164) and returns the one texted.
func (f *fixture) sendCode(t *testing.T, phone string, purpose domain.Purpose) string {
	t.Helper()
	if _, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phone, Purpose: string(purpose), Client: f.client()}); err != nil {
		t.Fatalf("request %s code for %s: %v", purpose, phone, err)
	}
	f.settle(t)
	msg, ok := f.sms.Last(phone)
	if !ok || msg.Purpose != purpose {
		t.Fatalf("no %s code texted to %s (last: %+v)", purpose, phone, msg)
	}
	return msg.Code
}

// settle waits for reset texts sent in the background.
func (f *fixture) settle(t *testing.T) {
	t.Helper()
	if err := f.requestCode.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// register logs phone (E.164) in by SMS, registering it if new.
func (f *fixture) register(t *testing.T, phone string) app.Session {
	t.Helper()
	code := f.sendCode(t, phone, domain.PurposeLogin)
	f.clock.Advance(f.cfg.Code.ResendAfter) // so the next sendCode is not in cooldown
	s, err := f.login.Handle(t.Context(), app.LoginInput{Phone: phone, Code: code, Client: f.client()})
	if err != nil {
		t.Fatalf("log in %s: %v", phone, err)
	}
	return s
}

// seedUser stores u with password (none when empty) straight in the store.
func (f *fixture) seedUser(t *testing.T, u domain.User, password string) domain.User {
	t.Helper()
	if password != "" {
		u.PasswordHash, _ = f.passwords.Hash(context.Background(), password)
	}
	u.CreatedAt = f.clock.Now()
	got, created, err := f.store.FindOrCreateByPhone(t.Context(), u)
	if err != nil || !created {
		t.Fatalf("seed user %+v: created=%v err=%v", u, created, err)
	}
	return got
}

// user reads a stored user back.
func (f *fixture) user(t *testing.T, id string) domain.User {
	t.Helper()
	u, err := f.store.ByID(t.Context(), id)
	if err != nil {
		t.Fatalf("load user %s: %v", id, err)
	}
	return u
}

// sessionID is the refresh token family the fake access token carries
// ("access:<user>:<session>").
func sessionID(t *testing.T, s app.Session) string {
	t.Helper()
	parts := strings.Split(s.Access.Token, ":")
	if len(parts) != 3 || parts[2] == "" {
		t.Fatalf("access token %q carries no session id", s.Access.Token)
	}
	return parts[2]
}

// checkErr fails unless err matches want (nil: no error).
func checkErr(t *testing.T, err, want error) {
	t.Helper()
	if want == nil && err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

// rateLimited fails unless err is a *domain.RateLimitedError for limit with
// a positive RetryAfter, and returns it.
func rateLimited(t *testing.T, err error, limit string) *domain.RateLimitedError {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("error = %v, want *domain.RateLimitedError(%s)", err, limit)
	}
	if rl.Limit != limit || rl.RetryAfter <= 0 {
		t.Fatalf("rate limit = %+v, want limit %q with a positive RetryAfter", rl, limit)
	}
	return rl
}

// weak fails unless err is a *domain.WeakPasswordError.
func weak(t *testing.T, err error) {
	t.Helper()
	var wp *domain.WeakPasswordError
	if !errors.As(err, &wp) || wp.Reason == "" {
		t.Fatalf("error = %v, want *domain.WeakPasswordError with a reason", err)
	}
}

// otherCode returns a well-formed code different from code.
func otherCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}
