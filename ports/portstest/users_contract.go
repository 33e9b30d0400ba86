package portstest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestUsers is the contract every ports.Users must pass. newStore returns an
// empty store; it is called once per subtest.
func TestUsers(t *testing.T, newStore func(t *testing.T) ports.Users) {
	t.Run("FindOrCreateByPhone creates then finds", func(t *testing.T) {
		s := newStore(t)
		c := candidate(1)
		c.PasswordHash = "$argon2id$hash"
		u, created, err := s.FindOrCreateByPhone(ctx(t), c)
		wantErr(t, "create", err, nil)
		if !created {
			t.Fatal("first call: created = false")
		}
		sameUser(t, u, c)
		again := candidate(2)
		again.Phone = c.Phone
		u2, created, err := s.FindOrCreateByPhone(ctx(t), again)
		wantErr(t, "find", err, nil)
		if created || u2.ID != c.ID {
			t.Fatalf("second call: created = %v, id = %q, want false, %q", created, u2.ID, c.ID)
		}
		sameUser(t, u2, c)
	})
	t.Run("FindOrCreateByPhone username collision", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, candidate(1))
		c := candidate(2)
		c.Username = "USER_1" // case-insensitively taken
		_, _, err := s.FindOrCreateByPhone(ctx(t), c)
		wantErr(t, "create", err, domain.ErrUsernameTaken)
		_, err = s.ByPhone(ctx(t), c.Phone)
		wantErr(t, "by phone after collision", err, domain.ErrNotFound)
	})
	t.Run("FindOrCreateByPhone concurrent", func(t *testing.T) {
		s := newStore(t)
		const n = 50
		var mu sync.Mutex
		ids, createdCount := map[string]bool{}, 0
		errs := concurrently(n, func(i int) error {
			c := candidate(100 + i)
			c.Phone = "+8613700000000"
			u, created, err := s.FindOrCreateByPhone(ctx(t), c)
			mu.Lock()
			defer mu.Unlock()
			ids[u.ID] = true
			if created {
				createdCount++
			}
			return err
		})
		for i, err := range errs {
			wantErr(t, fmt.Sprintf("call %d", i), err, nil)
		}
		if createdCount != 1 || len(ids) != 1 {
			t.Fatalf("created %d users, saw %d ids; want exactly 1 and 1", createdCount, len(ids))
		}
	})
	t.Run("lookups", func(t *testing.T) { testUserLookups(t, newStore(t)) })
	t.Run("UpdateProfile", func(t *testing.T) { testUpdateProfile(t, newStore(t)) })
	t.Run("setters", func(t *testing.T) { testUserSetters(t, newStore(t)) })
}

func mustCreate(t *testing.T, s ports.Users, c domain.User) domain.User {
	t.Helper()
	u, created, err := s.FindOrCreateByPhone(ctx(t), c)
	if err != nil || !created {
		t.Fatalf("create %s: created = %v, err = %v", c.Phone, created, err)
	}
	return u
}

// sameUser compares the stored fields; UpdatedAt is CreatedAt on creation.
func sameUser(t *testing.T, got, want domain.User) {
	t.Helper()
	if got.ID != want.ID || got.Username != want.Username || got.Phone != want.Phone ||
		got.Email != want.Email || got.PasswordHash != want.PasswordHash ||
		got.Icon != want.Icon || got.Disabled != want.Disabled {
		t.Errorf("user = %+v, want %+v", got, want)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	sameTime(t, "LastLoginAt", got.LastLoginAt, want.LastLoginAt)
}

func testUserLookups(t *testing.T, s ports.Users) {
	c := mustCreate(t, s, candidate(1))
	email := "Ann@Example.com"
	if _, err := s.UpdateProfile(ctx(t), c.ID, domain.ProfilePatch{Email: &email}, contractTime); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		lookup  func() (domain.User, error)
		wantErr error
	}{
		{"ByID", func() (domain.User, error) { return s.ByID(ctx(t), c.ID) }, nil},
		{"ByID missing", func() (domain.User, error) { return s.ByID(ctx(t), testID('u', 99)) }, domain.ErrNotFound},
		{"ByPhone", func() (domain.User, error) { return s.ByPhone(ctx(t), c.Phone) }, nil},
		{"ByPhone missing", func() (domain.User, error) { return s.ByPhone(ctx(t), "+8613799999999") }, domain.ErrNotFound},
		{"ByUsername", func() (domain.User, error) { return s.ByUsername(ctx(t), "user_1") }, nil},
		{"ByUsername other case", func() (domain.User, error) { return s.ByUsername(ctx(t), "User_1") }, nil},
		{"ByUsername missing", func() (domain.User, error) { return s.ByUsername(ctx(t), "nobody") }, domain.ErrNotFound},
		{"ByEmail", func() (domain.User, error) { return s.ByEmail(ctx(t), email) }, nil},
		{"ByEmail other case", func() (domain.User, error) { return s.ByEmail(ctx(t), "ann@EXAMPLE.com") }, nil},
		{"ByEmail missing", func() (domain.User, error) { return s.ByEmail(ctx(t), "bob@example.com") }, domain.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := tt.lookup()
			wantErr(t, tt.name, err, tt.wantErr)
			if tt.wantErr == nil && (u.ID != c.ID || u.Email != email) {
				t.Errorf("got id %q email %q, want %q %q", u.ID, u.Email, c.ID, email)
			}
		})
	}
}

func testUpdateProfile(t *testing.T, s ports.Users) {
	a := mustCreate(t, s, candidate(1))
	b := mustCreate(t, s, candidate(2))
	str := func(s string) *string { return &s }
	later := contractTime.Add(time.Hour)
	u, err := s.UpdateProfile(ctx(t), a.ID, domain.ProfilePatch{
		Username: str("Alice"), Email: str("alice@example.com"), Icon: str("https://img/a.png")}, later)
	wantErr(t, "update", err, nil)
	if u.Username != "Alice" || u.Email != "alice@example.com" || u.Icon != "https://img/a.png" || u.Phone != a.Phone {
		t.Fatalf("updated user = %+v", u)
	}
	sameTime(t, "UpdatedAt", u.UpdatedAt, later)
	if got, err := s.ByID(ctx(t), a.ID); err != nil || got.Username != "Alice" {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	tests := []struct {
		name    string
		id      string
		patch   domain.ProfilePatch
		wantErr error
	}{
		{"username taken other case", b.ID, domain.ProfilePatch{Username: str("ALICE")}, domain.ErrUsernameTaken},
		{"email taken other case", b.ID, domain.ProfilePatch{Email: str("Alice@Example.COM")}, domain.ErrEmailTaken},
		{"missing user", testID('u', 99), domain.ProfilePatch{Icon: str("x")}, domain.ErrNotFound},
		{"own username other case", a.ID, domain.ProfilePatch{Username: str("alice")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UpdateProfile(ctx(t), tt.id, tt.patch, later)
			wantErr(t, tt.name, err, tt.wantErr)
		})
	}
	if got, _ := s.ByID(ctx(t), b.ID); got.Username != b.Username || got.Email != "" {
		t.Errorf("failed updates changed b: %+v", got)
	}
	u, err = s.UpdateProfile(ctx(t), a.ID, domain.ProfilePatch{ClearEmail: true}, later)
	wantErr(t, "clear email", err, nil)
	if u.Email != "" {
		t.Errorf("email after ClearEmail = %q", u.Email)
	}
	if _, err := s.ByEmail(ctx(t), "alice@example.com"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("ByEmail after clear: %v, want ErrNotFound", err)
	}
	// Email identity folds all of Unicode, the same on every store:
	// "ÄRGER@" and "ärger@" (and "Ä" decomposed) are one address.
	c := mustCreate(t, s, candidate(3))
	if _, err := s.UpdateProfile(ctx(t), c.ID, domain.ProfilePatch{Email: str("ÄRGER@example.com")}, later); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{"ärger@example.com", "A\u0308rger@Example.com"} {
		_, err := s.UpdateProfile(ctx(t), b.ID, domain.ProfilePatch{Email: str(other)}, later)
		wantErr(t, "email taken other Unicode case "+other, err, domain.ErrEmailTaken)
		if got, err := s.ByEmail(ctx(t), other); err != nil || got.ID != c.ID || got.Email != "ÄRGER@example.com" {
			t.Errorf("ByEmail(%q) = %+v, %v; want user %s", other, got, err, c.ID)
		}
	}
	// A cleared email is free again, and two users may both have none.
	_, err = s.UpdateProfile(ctx(t), b.ID, domain.ProfilePatch{Email: str("alice@example.com")}, later)
	wantErr(t, "reuse cleared email", err, nil)
}

func testUserSetters(t *testing.T, s ports.Users) {
	a := mustCreate(t, s, candidate(1))
	later := contractTime.Add(time.Minute)
	missing := testID('u', 99)
	wantErr(t, "SetPasswordHash", s.SetPasswordHash(ctx(t), a.ID, "$argon2id$new", later), nil)
	wantErr(t, "SetDisabled", s.SetDisabled(ctx(t), a.ID, true, later), nil)
	u, err := s.ByID(ctx(t), a.ID)
	wantErr(t, "ByID", err, nil)
	if u.PasswordHash != "$argon2id$new" || !u.Disabled || !u.HasPassword() {
		t.Errorf("after setters: %+v", u)
	}
	sameTime(t, "UpdatedAt", u.UpdatedAt, later)
	// Whether a login also bumps UpdatedAt is left to the store.
	wantErr(t, "TouchLogin", s.TouchLogin(ctx(t), a.ID, later.Add(time.Second)), nil)
	u, _ = s.ByID(ctx(t), a.ID)
	sameTime(t, "LastLoginAt", u.LastLoginAt, later.Add(time.Second))
	wantErr(t, "enable", s.SetDisabled(ctx(t), a.ID, false, later), nil)
	if u, _ := s.ByID(ctx(t), a.ID); u.Disabled {
		t.Error("still disabled after SetDisabled(false)")
	}
	wantErr(t, "SetPasswordHash missing", s.SetPasswordHash(ctx(t), missing, "h", later), domain.ErrNotFound)
	wantErr(t, "SetDisabled missing", s.SetDisabled(ctx(t), missing, true, later), domain.ErrNotFound)
	wantErr(t, "TouchLogin missing", s.TouchLogin(ctx(t), missing, later), domain.ErrNotFound)
}
