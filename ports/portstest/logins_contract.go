package portstest

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// LoginStore is what the Logins suite needs: the port under test and the
// Users and RefreshTokens on the same storage, to look at what it wrote.
type LoginStore interface {
	ports.Logins
	ports.Users
	ports.RefreshTokens
}

// TestLogins is the contract every ports.Logins must pass.
func TestLogins(t *testing.T, newStore func(t *testing.T) LoginStore) {
	t.Run("StartPhoneLogin creates, then finds", func(t *testing.T) {
		s := newStore(t)
		c := candidate(1)
		u, created, err := s.StartPhoneLogin(ctx(t), c, token("", "fam1", 1), contractTime)
		wantErr(t, "first login", err, nil)
		if !created || u.ID != c.ID || u.Username != c.Username || u.Phone != c.Phone || u.Disabled {
			t.Fatalf("first login: created %v, user %+v", created, u)
		}
		sameTime(t, "LastLoginAt", u.LastLoginAt, contractTime)
		tok, err := s.Get(ctx(t), hash(1))
		wantErr(t, "first token", err, nil)
		if tok.UserID != c.ID || tok.FamilyID != "fam1" {
			t.Fatalf("first token: %+v", tok)
		}
		later := contractTime.Add(time.Hour)
		again := candidate(2)
		again.Phone = c.Phone
		u2, created, err := s.StartPhoneLogin(ctx(t), again, token("", "fam2", 2), later)
		wantErr(t, "second login", err, nil)
		if created || u2.ID != c.ID || u2.Username != c.Username {
			t.Fatalf("second login: created %v, user %+v", created, u2)
		}
		sameTime(t, "LastLoginAt", u2.LastLoginAt, later)
		if tok, err := s.Get(ctx(t), hash(2)); err != nil || tok.UserID != c.ID {
			t.Fatalf("second token: %+v %v", tok, err)
		}
	})
	t.Run("StartPhoneLogin disabled user gets no token", func(t *testing.T) {
		s := newStore(t)
		u := mustCreate(t, s, candidate(1))
		wantErr(t, "disable", s.SetDisabled(ctx(t), u.ID, true, contractTime), nil)
		got, created, err := s.StartPhoneLogin(ctx(t), candidate(1), token("", "fam1", 1), contractTime)
		wantErr(t, "login", err, nil)
		if created || !got.Disabled {
			t.Fatalf("disabled login: created %v, user %+v", created, got)
		}
		_, err = s.Get(ctx(t), hash(1))
		wantErr(t, "token of a disabled user", err, domain.ErrNotFound)
	})
	t.Run("StartPhoneLogin username collision", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, candidate(1))
		c := candidate(2)
		c.Username = "USER_1"
		_, _, err := s.StartPhoneLogin(ctx(t), c, token("", "fam", 1), contractTime)
		wantErr(t, "colliding username", err, domain.ErrUsernameTaken)
	})
	t.Run("StartPhoneLogin concurrent first logins", func(t *testing.T) {
		s := newStore(t)
		var creators atomic.Int32
		ids := make([]string, 50)
		errs := concurrently(50, func(i int) error {
			c := candidate(100 + i)
			c.Phone = candidate(1).Phone
			u, created, err := s.StartPhoneLogin(ctx(t), c, token("", fmt.Sprint("fam", i), 100+i), contractTime)
			if created {
				creators.Add(1)
			}
			ids[i] = u.ID
			return err
		})
		for i, err := range errs {
			wantErr(t, "concurrent login", err, nil)
			if ids[i] != ids[0] {
				t.Fatalf("login %d got user %s, login 0 got %s", i, ids[i], ids[0])
			}
			if _, err := s.Get(ctx(t), hash(100+i)); err != nil {
				t.Fatalf("token of login %d: %v", i, err)
			}
		}
		if n := creators.Load(); n != 1 {
			t.Fatalf("%d logins created the user, want 1", n)
		}
	})
	testRefresh(t, newStore)
	testReplacePassword(t, newStore)
}

func testRefresh(t *testing.T, newStore func(t *testing.T) LoginStore) {
	setup := func(t *testing.T) (LoginStore, domain.User) {
		s := newStore(t)
		u, _, err := s.StartPhoneLogin(ctx(t), candidate(1), token("", "fam1", 1), contractTime)
		wantErr(t, "login", err, nil)
		return s, u
	}
	t.Run("Refresh rotates and returns the user", func(t *testing.T) {
		s, u := setup(t)
		now := contractTime.Add(time.Minute)
		old, got, err := s.Refresh(ctx(t), hash(1), token("", "", 2), now, 0)
		wantErr(t, "refresh", err, nil)
		if got.ID != u.ID || got.Phone != u.Phone || old.FamilyID != "fam1" || old.UserID != u.ID {
			t.Fatalf("refresh: old %+v user %+v", old, got)
		}
		sameTime(t, "old RotatedAt", old.RotatedAt, now)
		next, err := s.Get(ctx(t), hash(2))
		if err != nil || next.FamilyID != "fam1" || next.UserID != u.ID {
			t.Fatalf("next token: %+v %v", next, err)
		}
	})
	t.Run("Refresh refuses unknown, expired and reused tokens", func(t *testing.T) {
		s, _ := setup(t)
		_, _, err := s.Refresh(ctx(t), hash(99), token("", "", 2), contractTime, 0)
		wantErr(t, "unknown", err, domain.ErrInvalidToken)
		_, _, err = s.Refresh(ctx(t), hash(1), token("", "", 3), contractTime.Add(48*time.Hour), 0)
		wantErr(t, "expired", err, domain.ErrInvalidToken)
		_, _, err = s.Refresh(ctx(t), hash(1), token("", "", 4), contractTime, 0)
		wantErr(t, "live", err, nil)
		_, _, err = s.Refresh(ctx(t), hash(1), token("", "", 5), contractTime, 0)
		wantErr(t, "reuse", err, domain.ErrInvalidToken)
		wantRevoked(t, s, map[int]bool{1: true, 4: true})
	})
	t.Run("Refresh within the reuse interval is a retry", func(t *testing.T) {
		s, u := setup(t)
		now := contractTime.Add(time.Minute)
		const reuse = 10 * time.Second
		_, _, err := s.Refresh(ctx(t), hash(1), token("", "", 2), now, reuse)
		wantErr(t, "refresh", err, nil)
		old, got, err := s.Refresh(ctx(t), hash(1), token("", "", 2), now.Add(5*time.Second), reuse)
		wantErr(t, "retry", err, nil)
		if got.ID != u.ID || old.FamilyID != "fam1" {
			t.Fatalf("retry: old %+v user %+v", old, got)
		}
		sameTime(t, "retry RotatedAt", old.RotatedAt, now)
		// Two tabs at once: every retry of the same rotation succeeds.
		var fails atomic.Int32
		concurrently(10, func(int) error {
			if _, _, err := s.Refresh(ctx(t), hash(1), token("", "", 2), now.Add(6*time.Second), reuse); err != nil {
				fails.Add(1)
			}
			return nil
		})
		if n := fails.Load(); n != 0 {
			t.Fatalf("%d concurrent retries failed", n)
		}
		wantRevoked(t, s, map[int]bool{1: false, 2: false})
		// A successor that is not the first rotation's is reuse.
		_, _, err = s.Refresh(ctx(t), hash(1), token("", "", 3), now.Add(7*time.Second), reuse)
		wantErr(t, "another successor", err, domain.ErrInvalidToken)
		wantRevoked(t, s, map[int]bool{1: true, 2: true})
	})
	t.Run("Refresh after the reuse interval is reuse", func(t *testing.T) {
		s, _ := setup(t)
		now := contractTime.Add(time.Minute)
		_, _, err := s.Refresh(ctx(t), hash(1), token("", "", 2), now, 10*time.Second)
		wantErr(t, "refresh", err, nil)
		_, _, err = s.Refresh(ctx(t), hash(1), token("", "", 2), now.Add(10*time.Second), 10*time.Second)
		wantErr(t, "late retry", err, domain.ErrInvalidToken)
		wantRevoked(t, s, map[int]bool{1: true, 2: true})
	})
	t.Run("Refresh concurrent: one winner", func(t *testing.T) {
		s, _ := setup(t)
		var wins atomic.Int32
		concurrently(20, func(i int) error {
			_, _, err := s.Refresh(ctx(t), hash(1), token("", "", 200+i), contractTime.Add(time.Minute), 0)
			if err == nil {
				wins.Add(1)
			}
			return nil
		})
		if n := wins.Load(); n != 1 {
			t.Fatalf("%d concurrent refreshes won, want 1", n)
		}
	})
}

func testReplacePassword(t *testing.T, newStore func(t *testing.T) LoginStore) {
	// setup logs user 1 in twice (families fam1, fam2) and user 2 once.
	setup := func(t *testing.T) (LoginStore, domain.User) {
		s := newStore(t)
		u, _, err := s.StartPhoneLogin(ctx(t), candidate(1), token("", "fam1", 1), contractTime)
		wantErr(t, "login 1", err, nil)
		_, _, err = s.StartPhoneLogin(ctx(t), candidate(1), token("", "fam2", 2), contractTime)
		wantErr(t, "login 2", err, nil)
		_, _, err = s.StartPhoneLogin(ctx(t), candidate(2), token("", "fam3", 3), contractTime)
		wantErr(t, "other user's login", err, nil)
		return s, u
	}
	t.Run("ReplacePassword keeps one session", func(t *testing.T) {
		s, u := setup(t)
		now := contractTime.Add(time.Minute)
		ended, err := s.ReplacePassword(ctx(t), u.ID, "$argon2id$new", "fam2", now)
		wantErr(t, "replace", err, nil)
		if strings.Join(ended, ",") != "fam1" {
			t.Fatalf("ended sessions = %v, want [fam1]", ended)
		}
		got, err := s.ByID(ctx(t), u.ID)
		wantErr(t, "read back", err, nil)
		if got.PasswordHash != "$argon2id$new" {
			t.Fatalf("password hash = %q", got.PasswordHash)
		}
		sameTime(t, "UpdatedAt", got.UpdatedAt, now)
		wantRevoked(t, s, map[int]bool{1: true, 2: false, 3: false})
	})
	t.Run("ReplacePassword ends every session", func(t *testing.T) {
		s, u := setup(t)
		ended, err := s.ReplacePassword(ctx(t), u.ID, "$argon2id$new", "", contractTime)
		wantErr(t, "replace", err, nil)
		sort.Strings(ended)
		if strings.Join(ended, ",") != "fam1,fam2" {
			t.Fatalf("ended sessions = %v, want [fam1 fam2]", ended)
		}
		wantRevoked(t, s, map[int]bool{1: true, 2: true, 3: false})
	})
	t.Run("ReplacePassword unknown user", func(t *testing.T) {
		s, _ := setup(t)
		_, err := s.ReplacePassword(ctx(t), testID('u', 99), "$argon2id$new", "", contractTime)
		wantErr(t, "unknown user", err, domain.ErrNotFound)
		wantRevoked(t, s, map[int]bool{1: false, 2: false, 3: false})
	})
}
