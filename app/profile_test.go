package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

func ptr(s string) *string { return &s }

// disable returns a fixture change that disables the user.
func disable(id string) func(*fixture) {
	return func(f *fixture) {
		if err := f.store.SetDisabled(context.Background(), id, true, f.clock.Now()); err != nil {
			panic(err)
		}
	}
}

func TestGetProfile(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		breaks  func(*fixture)
		wantErr error
	}{
		{"active user", "u-alice", nil, nil},
		{"unknown user", "no-such-user", nil, domain.ErrInvalidToken},
		{"disabled user", "u-alice", disable("u-alice"), domain.ErrAccountDisabled},
		{"store down", "u-alice", func(f *fixture) { f.store.Err = portstest.ErrDown }, domain.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			alice, _ := seedAlice(t, f)
			if tt.breaks != nil {
				tt.breaks(f)
			}
			u, err := f.getProfile.Handle(t.Context(), tt.id)
			checkErr(t, err, tt.wantErr)
			if err == nil && (u.ID != alice.ID || u.Username != "Alice" || u.Email != alice.Email || u.Phone != phoneA) {
				t.Fatalf("profile = %+v", u)
			}
		})
	}
}

func TestUpdateProfile(t *testing.T) {
	long := "https://cdn.example.com/" + strings.Repeat("a", 2048)
	tests := []struct {
		name    string
		in      app.UpdateProfileInput
		wantErr error
		want    func(domain.User) bool // checked on success
	}{
		{"new username", app.UpdateProfileInput{Username: ptr("alice_2.0-x")}, nil,
			func(u domain.User) bool { return u.Username == "alice_2.0-x" }},
		{"own username, other case", app.UpdateProfileInput{Username: ptr("ALICE")}, nil,
			func(u domain.User) bool { return u.Username == "ALICE" }},
		{"username with digits", app.UpdateProfileInput{Username: ptr("a1234")}, nil,
			func(u domain.User) bool { return u.Username == "a1234" }},
		{"username too short", app.UpdateProfileInput{Username: ptr("ab")}, domain.ErrInvalidUsername, nil},
		{"username too long", app.UpdateProfileInput{Username: ptr(strings.Repeat("a", 33))}, domain.ErrInvalidUsername, nil},
		{"username all digits", app.UpdateProfileInput{Username: ptr("13711112222")}, domain.ErrInvalidUsername, nil},
		{"username with space", app.UpdateProfileInput{Username: ptr("al ice")}, domain.ErrInvalidUsername, nil},
		{"username with @", app.UpdateProfileInput{Username: ptr("al@ice")}, domain.ErrInvalidUsername, nil},
		{"username with +", app.UpdateProfileInput{Username: ptr("+alice")}, domain.ErrInvalidUsername, nil},
		{"username non-ASCII", app.UpdateProfileInput{Username: ptr("alicé")}, domain.ErrInvalidUsername, nil},
		{"username empty", app.UpdateProfileInput{Username: ptr("")}, domain.ErrInvalidUsername, nil},
		{"username taken", app.UpdateProfileInput{Username: ptr("bob")}, domain.ErrUsernameTaken, nil},
		{"username taken, other case", app.UpdateProfileInput{Username: ptr("BoB")}, domain.ErrUsernameTaken, nil},
		{"new email", app.UpdateProfileInput{Email: ptr("  New@Example.org ")}, nil,
			func(u domain.User) bool { return u.Email == "New@Example.org" }},
		{"email invalid", app.UpdateProfileInput{Email: ptr("not-an-email")}, domain.ErrInvalidEmail, nil},
		{"email with display name", app.UpdateProfileInput{Email: ptr("Alice <a@example.com>")}, domain.ErrInvalidEmail, nil},
		{"email without dot in domain", app.UpdateProfileInput{Email: ptr("a@localhost")}, domain.ErrInvalidEmail, nil},
		{"email empty", app.UpdateProfileInput{Email: ptr("")}, domain.ErrInvalidEmail, nil},
		{"email taken, other case", app.UpdateProfileInput{Email: ptr("BOB@example.com")}, domain.ErrEmailTaken, nil},
		{"clear email", app.UpdateProfileInput{ClearEmail: true}, nil,
			func(u domain.User) bool { return u.Email == "" }},
		{"icon https", app.UpdateProfileInput{Icon: ptr("https://cdn.example.com/a.png")}, nil,
			func(u domain.User) bool { return u.Icon == "https://cdn.example.com/a.png" }},
		{"icon http", app.UpdateProfileInput{Icon: ptr("http://cdn.example.com/a.png")}, nil,
			func(u domain.User) bool { return u.Icon == "http://cdn.example.com/a.png" }},
		{"icon removed", app.UpdateProfileInput{Icon: ptr("")}, nil,
			func(u domain.User) bool { return u.Icon == "" }},
		{"icon ftp", app.UpdateProfileInput{Icon: ptr("ftp://cdn.example.com/a.png")}, domain.ErrInvalidRequest, nil},
		{"icon javascript", app.UpdateProfileInput{Icon: ptr("javascript:alert(1)")}, domain.ErrInvalidRequest, nil},
		{"icon relative", app.UpdateProfileInput{Icon: ptr("/a.png")}, domain.ErrInvalidRequest, nil},
		{"icon without host", app.UpdateProfileInput{Icon: ptr("https://")}, domain.ErrInvalidRequest, nil},
		{"icon too long", app.UpdateProfileInput{Icon: ptr(long)}, domain.ErrInvalidRequest, nil},
		{"several fields", app.UpdateProfileInput{Username: ptr("alice2"), Email: ptr("a2@example.com"), Icon: ptr("https://e.example/i.png")}, nil,
			func(u domain.User) bool {
				return u.Username == "alice2" && u.Email == "a2@example.com" && u.Icon == "https://e.example/i.png"
			}},
		{"one bad field changes nothing", app.UpdateProfileInput{Username: ptr("alice2"), Icon: ptr("ftp://x.example/i.png")}, domain.ErrInvalidRequest, nil},
		{"nothing", app.UpdateProfileInput{}, nil,
			func(u domain.User) bool { return u.Username == "Alice" && u.Email == "alice@example.com" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			alice, _ := seedAlice(t, f)
			if _, err := f.store.UpdateProfile(t.Context(), "u-bob", domain.ProfilePatch{Email: ptr("bob@example.com")}, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(time.Minute)
			tt.in.UserID = alice.ID
			u, err := f.updateProfile.Handle(t.Context(), tt.in)
			checkErr(t, err, tt.wantErr)
			stored := f.user(t, alice.ID)
			if err != nil {
				stored.UpdatedAt = alice.UpdatedAt
				if stored != alice {
					t.Fatalf("a refused update changed the user: %+v", stored)
				}
				return
			}
			if !tt.want(u) || u != stored {
				t.Fatalf("returned %+v, stored %+v", u, stored)
			}
			if tt.in != (app.UpdateProfileInput{UserID: alice.ID}) && !stored.UpdatedAt.Equal(f.clock.Now()) {
				t.Fatalf("UpdatedAt = %s, want now", stored.UpdatedAt)
			}
		})
	}
}

func TestUpdateProfileRefusesUser(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		breaks  func(*fixture)
		wantErr error
	}{
		{"unknown user", "no-such-user", nil, domain.ErrInvalidToken},
		{"disabled user", "u-alice", disable("u-alice"), domain.ErrAccountDisabled},
		{"store down", "u-alice", func(f *fixture) { f.store.Err = portstest.ErrDown }, domain.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			seedAlice(t, f)
			if tt.breaks != nil {
				tt.breaks(f)
			}
			_, err := f.updateProfile.Handle(t.Context(), app.UpdateProfileInput{UserID: tt.id, Username: ptr("alice2")})
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestCheckPhone(t *testing.T) {
	tests := []struct {
		name       string
		phone      string
		disabled   bool
		breaks     func(*fixture)
		wantErr    error
		wantExists bool
		wantPhone  string
	}{
		{"registered, E.164", phoneA, false, nil, nil, true, phoneA},
		{"registered, national", "137 1111 2222", false, nil, nil, true, phoneA},
		{"not registered", "+8613700000000", false, nil, nil, false, "+8613700000000"},
		{"feature switched off", phoneA, true, nil, domain.ErrFeatureDisabled, false, ""},
		{"bad phone", "abc", false, nil, domain.ErrInvalidPhone, false, ""},
		{"store down", phoneA, false, func(f *fixture) { f.store.Err = portstest.ErrDown }, domain.ErrUnavailable, false, ""},
		{"limiter down", phoneA, false, func(f *fixture) { f.limiter.Err = portstest.ErrDown }, domain.ErrUnavailable, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *app.Config) { c.ExposePhoneLookup = !tt.disabled })
			seedAlice(t, f)
			if tt.breaks != nil {
				tt.breaks(f)
			}
			p, exists, err := f.checkPhone.Handle(t.Context(), tt.phone, f.client())
			checkErr(t, err, tt.wantErr)
			if exists != tt.wantExists {
				t.Fatalf("exists = %v, want %v", exists, tt.wantExists)
			}
			if p.E164 != tt.wantPhone {
				t.Fatalf("phone = %q", p.E164)
			}
		})
	}
}

func TestCheckPhonePerIPLimit(t *testing.T) {
	f := newFixture(t)
	ip := app.Client{IP: "203.0.113.4"}
	for range f.cfg.PhoneLookupLimit {
		_, _, err := f.checkPhone.Handle(t.Context(), phoneA, ip)
		checkErr(t, err, nil)
	}
	_, exists, err := f.checkPhone.Handle(t.Context(), phoneB, ip)
	if rl := rateLimited(t, err, "ip_lookup"); rl.RetryAfter > time.Hour || exists {
		t.Fatalf("RetryAfter = %s, exists = %v", rl.RetryAfter, exists)
	}
	_, _, err = f.checkPhone.Handle(t.Context(), phoneB, f.client())
	checkErr(t, err, nil)
}

// A username that reads as a phone number would be looked up as the phone
// by password login: refused.
func TestUpdateProfileRefusesPhoneLikeUsernames(t *testing.T) {
	f := newFixture(t)
	alice, _ := seedAlice(t, f)
	for _, name := range []string{"138-0013-8000", "+86-137-1111-2222"} {
		_, err := f.updateProfile.Handle(t.Context(), app.UpdateProfileInput{UserID: alice.ID, Username: &name})
		checkErr(t, err, domain.ErrInvalidUsername)
	}
}
