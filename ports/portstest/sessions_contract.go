package portstest

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// SessionStore is what the Sessions suite needs: the port under test and
// the Logins and RefreshTokens on the same storage that open and end
// sessions.
type SessionStore interface {
	LoginStore
	ports.Sessions
}

func sessionIDs(ss []domain.Session) string {
	ids := make([]string, len(ss))
	for i, s := range ss {
		ids[i] = s.ID
	}
	return strings.Join(ids, ",")
}

func wantSessions(t *testing.T, s ports.Sessions, userID string, now time.Time, want string) []domain.Session {
	t.Helper()
	got, err := s.ListSessions(ctx(t), userID, now)
	wantErr(t, "list sessions", err, nil)
	if sessionIDs(got) != want {
		t.Fatalf("sessions = [%s], want [%s]", sessionIDs(got), want)
	}
	return got
}

// TestSessions is the contract every ports.Sessions must pass.
func TestSessions(t *testing.T, newStore func(t *testing.T) SessionStore) {
	// setup logs user 1 in by phone twice (fam1, then fam2 a minute later)
	// and by password once (fam4, two minutes later), and user 2 once (fam3).
	setup := func(t *testing.T) (SessionStore, domain.User) {
		s := newStore(t)
		first := token("", "fam1", 1)
		first.UserAgent, first.IP = "agent/1", "192.0.2.1"
		u, _, err := s.StartPhoneLogin(ctx(t), candidate(1), first, contractTime)
		wantErr(t, "login 1", err, nil)
		second := token("", "fam2", 2)
		second.CreatedAt = contractTime.Add(time.Minute)
		_, _, err = s.StartPhoneLogin(ctx(t), candidate(1), second, second.CreatedAt)
		wantErr(t, "login 2", err, nil)
		_, _, err = s.StartPhoneLogin(ctx(t), candidate(2), token("", "fam3", 3), contractTime)
		wantErr(t, "other user's login", err, nil)
		pw := token(u.ID, "fam4", 4)
		pw.CreatedAt = contractTime.Add(2 * time.Minute)
		wantErr(t, "password login", s.StartSession(ctx(t), pw), nil)
		return s, u
	}
	now := contractTime.Add(time.Hour)
	t.Run("logins open sessions, newest first", func(t *testing.T) {
		s, u := setup(t)
		got := wantSessions(t, s, u.ID, now, "fam4,fam2,fam1")
		one := got[2]
		if one.UserID != u.ID || one.UserAgent != "agent/1" || one.IP != "192.0.2.1" || !one.EndedAt.IsZero() {
			t.Fatalf("session: %+v", one)
		}
		sameTime(t, "CreatedAt", one.CreatedAt, contractTime)
		sameTime(t, "LastUsedAt", one.LastUsedAt, contractTime)
		sameTime(t, "ExpiresAt", one.ExpiresAt, contractTime.Add(24*time.Hour))
		wantSessions(t, s, testID('u', 99), now, "")
	})
	t.Run("a refresh moves last use and expiry", func(t *testing.T) {
		s, u := setup(t)
		next := token("", "", 5)
		next.ExpiresAt = now.Add(24 * time.Hour)
		_, _, err := s.Refresh(ctx(t), hash(1), next, now, 0)
		wantErr(t, "refresh", err, nil)
		got := wantSessions(t, s, u.ID, now, "fam4,fam2,fam1")
		sameTime(t, "LastUsedAt", got[2].LastUsedAt, now)
		sameTime(t, "ExpiresAt", got[2].ExpiresAt, now.Add(24*time.Hour))
		sameTime(t, "CreatedAt", got[2].CreatedAt, contractTime)
	})
	t.Run("expired sessions are not listed", func(t *testing.T) {
		s, u := setup(t)
		wantSessions(t, s, u.ID, contractTime.Add(25*time.Hour), "")
	})
	t.Run("EndSession ends one session of its user", func(t *testing.T) {
		s, u := setup(t)
		ended, err := s.EndSession(ctx(t), u.ID, "fam3", domain.EndUser, now)
		wantErr(t, "end another user's session", err, nil)
		if ended {
			t.Fatal("ended another user's session")
		}
		ended, err = s.EndSession(ctx(t), u.ID, "nope", domain.EndUser, now)
		wantErr(t, "end unknown", err, nil)
		if ended {
			t.Fatal("ended an unknown session")
		}
		ended, err = s.EndSession(ctx(t), u.ID, "fam1", domain.EndUser, now)
		wantErr(t, "end", err, nil)
		if !ended {
			t.Fatal("did not end fam1")
		}
		wantSessions(t, s, u.ID, now, "fam4,fam2")
		wantRevoked(t, s, map[int]bool{1: true, 2: false, 3: false, 4: false})
		ended, err = s.EndSession(ctx(t), u.ID, "fam1", domain.EndUser, now)
		wantErr(t, "end again", err, nil)
		if ended {
			t.Fatal("ended fam1 twice")
		}
		_, err = s.Rotate(ctx(t), hash(1), token("", "", 6), now)
		wantErr(t, "refresh an ended session", err, domain.ErrInvalidToken)
	})
	t.Run("EndSession refuses an expired session", func(t *testing.T) {
		s, u := setup(t)
		ended, err := s.EndSession(ctx(t), u.ID, "fam1", domain.EndUser, contractTime.Add(25*time.Hour))
		wantErr(t, "end expired", err, nil)
		if ended {
			t.Fatal("ended an expired session")
		}
	})
	t.Run("EndSessions keeps one", func(t *testing.T) {
		s, u := setup(t)
		ids, err := s.EndSessions(ctx(t), u.ID, "fam2", domain.EndUser, now)
		wantErr(t, "end others", err, nil)
		sort.Strings(ids)
		if strings.Join(ids, ",") != "fam1,fam4" {
			t.Fatalf("ended %v, want [fam1 fam4]", ids)
		}
		wantSessions(t, s, u.ID, now, "fam2")
		wantSessions(t, s, testID('u', 2), now, "fam3")
		wantRevoked(t, s, map[int]bool{1: true, 2: false, 3: false, 4: true})
		ids, err = s.EndSessions(ctx(t), u.ID, "", domain.EndUser, now)
		wantErr(t, "end all", err, nil)
		if strings.Join(ids, ",") != "fam2" {
			t.Fatalf("ended %v, want [fam2]", ids)
		}
		wantSessions(t, s, u.ID, now, "")
	})
	t.Run("logout and RevokeUser end sessions", func(t *testing.T) {
		s, u := setup(t)
		wantErr(t, "logout", s.RevokeFamily(ctx(t), "fam2", now), nil)
		wantSessions(t, s, u.ID, now, "fam4,fam1")
		wantErr(t, "revoke user", s.RevokeUser(ctx(t), u.ID, "", now), nil)
		wantSessions(t, s, u.ID, now, "")
	})
	t.Run("refresh reuse ends the session and names it", func(t *testing.T) {
		s, u := setup(t)
		_, _, err := s.Refresh(ctx(t), hash(1), token("", "", 5), now, 0)
		wantErr(t, "refresh", err, nil)
		old, _, err := s.Refresh(ctx(t), hash(1), token("", "", 6), now, 0)
		wantErr(t, "reuse", err, domain.ErrInvalidToken)
		if old.FamilyID != "fam1" {
			t.Fatalf("reuse named family %q, want fam1", old.FamilyID)
		}
		wantSessions(t, s, u.ID, now, "fam4,fam2")
	})
}
