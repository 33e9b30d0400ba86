package app_test

import (
	"errors"
	"testing"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

// ended reports whether the session's access tokens are refused.
func (f *fixture) isEnded(t *testing.T, s app.Session) bool {
	t.Helper()
	got, err := f.ended.IsEnded(t.Context(), sessionID(t, s), f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMySessionsListAndEnd(t *testing.T) {
	f := newFixture(t)
	first := f.register(t, phoneA)
	second := f.register(t, phoneA)
	other := f.register(t, phoneB)
	uid := first.User.ID

	ss, err := f.mySessions.List(t.Context(), uid)
	checkErr(t, err, nil)
	if len(ss) != 2 || ss[0].ID != sessionID(t, second) || ss[1].ID != sessionID(t, first) {
		t.Fatalf("sessions = %+v, want the second login then the first", ss)
	}
	if ss[0].UserAgent != "test" || ss[0].IP == "" {
		t.Fatalf("session record lacks the client: %+v", ss[0])
	}

	for _, id := range []string{"", "unknown", sessionID(t, other)} {
		checkErr(t, f.mySessions.End(t.Context(), uid, id), domain.ErrNotFound)
	}
	if f.isEnded(t, other) {
		t.Fatal("another user's session was ended")
	}
	checkErr(t, f.mySessions.End(t.Context(), uid, sessionID(t, first)), nil)
	if !f.isEnded(t, first) || f.isEnded(t, second) {
		t.Fatal("ending one session must refuse its access tokens and only its")
	}
	checkErr(t, f.mySessions.End(t.Context(), uid, sessionID(t, first)), domain.ErrNotFound)
	_, err = f.refresh.Handle(t.Context(), first.RefreshToken, f.client())
	checkErr(t, err, domain.ErrInvalidToken)

	checkErr(t, f.mySessions.EndAll(t.Context(), uid), nil)
	if !f.isEnded(t, second) || f.isEnded(t, other) {
		t.Fatal("ending all must refuse every session of the user, no other")
	}
	ss, err = f.mySessions.List(t.Context(), uid)
	checkErr(t, err, nil)
	if len(ss) != 0 {
		t.Fatalf("sessions after ending all: %+v", ss)
	}
}

// Every way a session ends refuses its access tokens at once.
func TestSessionEndsRefuseAccessTokens(t *testing.T) {
	t.Run("logout", func(t *testing.T) {
		f := newFixture(t)
		s := f.register(t, phoneA)
		checkErr(t, f.logout.Handle(t.Context(), s.RefreshToken), nil)
		if !f.isEnded(t, s) {
			t.Fatal("logged-out session not ended")
		}
	})
	t.Run("refresh reuse", func(t *testing.T) {
		f := newFixture(t)
		s := f.register(t, phoneA)
		next, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
		checkErr(t, err, nil)
		if f.isEnded(t, next) {
			t.Fatal("a refresh ended its own session")
		}
		f.clock.Advance(f.cfg.RefreshTTL / 1000) // beyond any retry interval
		_, err = f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
		checkErr(t, err, domain.ErrInvalidToken)
		if !f.isEnded(t, next) {
			t.Fatal("reuse did not end the session")
		}
	})
	t.Run("password change keeps the caller's", func(t *testing.T) {
		f := newFixture(t)
		keep := f.register(t, phoneA)
		other := f.register(t, phoneA)
		err := f.setPassword.Handle(t.Context(), app.SetPasswordInput{UserID: keep.User.ID, SessionID: sessionID(t, keep),
			NewPassword: "correct horse battery staple"})
		checkErr(t, err, nil)
		if f.isEnded(t, keep) || !f.isEnded(t, other) {
			t.Fatal("a password change must end the other sessions only")
		}
	})
	t.Run("disabled at refresh", func(t *testing.T) {
		f := newFixture(t)
		s := f.register(t, phoneA)
		checkErr(t, f.store.SetDisabled(t.Context(), s.User.ID, true, f.clock.Now()), nil)
		_, err := f.refresh.Handle(t.Context(), s.RefreshToken, f.client())
		checkErr(t, err, domain.ErrAccountDisabled)
		if !f.isEnded(t, s) {
			t.Fatal("the disabled user's session was not ended")
		}
	})
	t.Run("store down", func(t *testing.T) {
		f := newFixture(t)
		s := f.register(t, phoneA)
		f.ended.Err = domain.Unavailable("redis", errors.New("down"))
		err := f.logout.Handle(t.Context(), s.RefreshToken)
		checkErr(t, err, domain.ErrUnavailable)
	})
}
