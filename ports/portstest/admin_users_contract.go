package portstest

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// AdminStore is the storage the admin API runs on: every port the suite
// checks, on one database.
type AdminStore interface {
	ports.Users
	ports.RefreshTokens
	ports.Events
	ports.AdminUsers
	ports.UserSessions
	ports.AccountDeletion
	ports.SessionStatus
	ports.SMSLog
	ports.SMSAttempts
}

func userIDs(us []domain.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

func sameIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
}

// TestAdminUsers is the contract of the admin ports (AdminUsers,
// UserSessions, AccountDeletion, SessionStatus, SMSAttempts).
func TestAdminUsers(t *testing.T, newStore func(t *testing.T) AdminStore) {
	t.Run("search: phone exact, username or email prefix, newest first", func(t *testing.T) {
		s := newStore(t)
		a, b, c := candidate(1), candidate(2), candidate(3)
		a.Username, b.Username, c.Username = "Alice", "alina_x", "bob"
		c.Email = "ALfred@example.com"
		for _, u := range []domain.User{a, b, c} {
			wantErr(t, "create", s.CreateUser(ctx(t), u, nil), nil)
		}
		cases := []struct {
			name string
			q    ports.UserQuery
			want []string
		}{
			{"all", ports.UserQuery{}, []string{c.ID, b.ID, a.ID}},
			{"prefix any case", ports.UserQuery{Prefix: "AL"}, []string{c.ID, b.ID, a.ID}},
			{"prefix narrows", ports.UserQuery{Prefix: "ali"}, []string{b.ID, a.ID}},
			{"email prefix", ports.UserQuery{Prefix: "alfred@"}, []string{c.ID}},
			{"wildcards are literal", ports.UserQuery{Prefix: "al_"}, nil},
			{"percent is literal", ports.UserQuery{Prefix: "%"}, nil},
			{"phone exact", ports.UserQuery{Phone: b.Phone, Prefix: b.Phone}, []string{b.ID}},
			{"phone prefix is no match", ports.UserQuery{Phone: "+86137", Prefix: "+86137"}, nil},
		}
		for _, tc := range cases {
			got, next, err := s.SearchUsers(ctx(t), tc.q, "", 10)
			wantErr(t, tc.name, err, nil)
			if next != "" {
				t.Errorf("%s: next = %q on the only page", tc.name, next)
			}
			sameIDs(t, tc.name, userIDs(got), tc.want...)
		}
	})
	t.Run("search pages stay stable while users are added", func(t *testing.T) {
		s := newStore(t)
		for n := 1; n <= 5; n++ {
			wantErr(t, "create", s.CreateUser(ctx(t), candidate(n), nil), nil)
		}
		p1, next, err := s.SearchUsers(ctx(t), ports.UserQuery{}, "", 2)
		wantErr(t, "page 1", err, nil)
		sameIDs(t, "page 1", userIDs(p1), candidate(5).ID, candidate(4).ID)
		wantErr(t, "create during paging", s.CreateUser(ctx(t), candidate(6), nil), nil)
		p2, next, err := s.SearchUsers(ctx(t), ports.UserQuery{}, next, 2)
		wantErr(t, "page 2", err, nil)
		sameIDs(t, "page 2", userIDs(p2), candidate(3).ID, candidate(2).ID)
		p3, next, err := s.SearchUsers(ctx(t), ports.UserQuery{}, next, 2)
		wantErr(t, "page 3", err, nil)
		sameIDs(t, "page 3", userIDs(p3), candidate(1).ID)
		if next != "" {
			t.Errorf("next = %q after the last page", next)
		}
	})
	t.Run("create stores the user with its events, or neither", func(t *testing.T) {
		s := newStore(t)
		u := candidate(1)
		u.Email, u.PasswordHash = "a@example.com", "$argon2id$x"
		wantErr(t, "create", s.CreateUser(ctx(t), u, []domain.Event{event(1, u.ID, domain.EventUserCreated)}), nil)
		got, err := s.ByID(ctx(t), u.ID)
		wantErr(t, "by id", err, nil)
		if got.Email != u.Email || got.PasswordHash != u.PasswordHash || got.Phone != u.Phone {
			t.Fatalf("user = %+v", got)
		}
		dupes := []struct {
			name string
			edit func(*domain.User)
			want error
		}{
			{"phone", func(d *domain.User) {}, domain.ErrPhoneTaken},
			{"username", func(d *domain.User) { d.Phone = "+8613900000001"; d.Username = "USER_1" }, domain.ErrUsernameTaken},
			{"email", func(d *domain.User) { d.Phone = "+8613900000002"; d.Email = "A@example.com" }, domain.ErrEmailTaken},
		}
		for i, d := range dupes {
			c := candidate(10 + i)
			c.Phone = u.Phone
			d.edit(&c)
			err := s.CreateUser(ctx(t), c, []domain.Event{event(10+i, c.ID, domain.EventUserCreated)})
			wantErr(t, "duplicate "+d.name, err, d.want)
		}
		evs, _, err := s.ListEvents(ctx(t), ports.EventFilter{Type: domain.EventUserCreated}, "", 10)
		wantErr(t, "events", err, nil)
		if len(evs) != 1 || evs[0].UserID != u.ID {
			t.Fatalf("events = %+v, want only the committed creation", evs)
		}
	})
	t.Run("change saves fields, events and session ends together", func(t *testing.T) {
		s := newStore(t)
		u := mustCreate(t, s, candidate(1))
		mustToken(t, s, token(u.ID, "fam1", 1))
		later := contractTime.Add(time.Hour)
		got, err := s.ChangeUser(ctx(t), u.ID, func(cur domain.User) (ports.UserChange, error) {
			cur.Username, cur.Email, cur.Icon, cur.Phone, cur.Disabled = "renamed", "r@example.com", "https://i/x.png", "+8613900000009", true
			cur.UpdatedAt = later
			return ports.UserChange{User: cur, EndSessions: true, Events: []domain.Event{event(1, u.ID, domain.EventUserDisabled)}}, nil
		})
		wantErr(t, "change", err, nil)
		if got.Username != "renamed" || got.Email != "r@example.com" || got.Icon != "https://i/x.png" ||
			got.Phone != "+8613900000009" || !got.Disabled {
			t.Fatalf("user = %+v", got)
		}
		sameTime(t, "updated_at", got.UpdatedAt, later)
		tok, err := s.Get(ctx(t), hash(1))
		wantErr(t, "token", err, nil)
		if tok.RevokedAt.IsZero() {
			t.Error("EndSessions left the refresh token live")
		}
		evs, _, _ := s.ListEvents(ctx(t), ports.EventFilter{UserID: u.ID}, "", 10)
		if len(evs) != 1 || evs[0].Type != domain.EventUserDisabled {
			t.Errorf("events = %+v", evs)
		}
		clear := func(cur domain.User) (ports.UserChange, error) {
			cur.Email = ""
			return ports.UserChange{User: cur}, nil
		}
		got, err = s.ChangeUser(ctx(t), u.ID, clear)
		wantErr(t, "clear email", err, nil)
		if got.Email != "" {
			t.Errorf("email = %q after clearing", got.Email)
		}
		_, err = s.ChangeUser(ctx(t), "missing", clear)
		wantErr(t, "unknown user", err, domain.ErrNotFound)
	})
	t.Run("a failed change writes nothing", func(t *testing.T) {
		s := newStore(t)
		u := mustCreate(t, s, candidate(1))
		other := mustCreate(t, s, candidate(2))
		boom := errors.New("boom")
		_, err := s.ChangeUser(ctx(t), u.ID, func(cur domain.User) (ports.UserChange, error) { return ports.UserChange{}, boom })
		wantErr(t, "callback error", err, boom)
		_, err = s.ChangeUser(ctx(t), u.ID, func(cur domain.User) (ports.UserChange, error) {
			cur.Phone = other.Phone
			return ports.UserChange{User: cur, Events: []domain.Event{event(1, u.ID, domain.EventPhoneChanged)}}, nil
		})
		wantErr(t, "taken phone", err, domain.ErrPhoneTaken)
		evs, _, _ := s.ListEvents(ctx(t), ports.EventFilter{}, "", 10)
		if len(evs) != 0 {
			t.Errorf("events = %+v after failed changes", evs)
		}
	})
	t.Run("sessions: list, status, end all", func(t *testing.T) {
		s := newStore(t)
		u := mustCreate(t, s, candidate(1))
		now := contractTime.Add(time.Minute)
		t1 := token(u.ID, testID('f', 1), 1)
		t1.UserAgent, t1.IP = "app/1", "203.0.113.1"
		mustToken(t, s, t1)
		mustToken(t, s, token(u.ID, testID('f', 2), 2))
		dead := mustToken(t, s, token(u.ID, testID('f', 3), 3))
		wantErr(t, "revoke", s.RevokeFamily(ctx(t), dead.FamilyID, now), nil)
		list, err := s.ListUserSessions(ctx(t), u.ID, now)
		wantErr(t, "list", err, nil)
		if len(list) != 2 || list[0].ID != testID('f', 2) || list[1].ID != testID('f', 1) || list[1].UserAgent != "app/1" {
			t.Fatalf("sessions = %+v", list)
		}
		for fam, want := range map[string]bool{testID('f', 1): true, testID('f', 3): false, "nope": false} {
			ok, err := s.SessionActive(ctx(t), u.ID, fam, now)
			wantErr(t, "status", err, nil)
			if ok != want {
				t.Errorf("SessionActive(%s) = %v, want %v", fam, ok, want)
			}
		}
		if ok, _ := s.SessionActive(ctx(t), "someone-else", testID('f', 1), now); ok {
			t.Error("a session is active for another user")
		}
		if ok, _ := s.SessionActive(ctx(t), u.ID, testID('f', 1), contractTime.Add(48*time.Hour)); ok {
			t.Error("an expired session is active")
		}
		wantErr(t, "end", s.EndUserSessions(ctx(t), u.ID, event(1, u.ID, domain.EventSessionEnded), now), nil)
		list, _ = s.ListUserSessions(ctx(t), u.ID, now)
		if len(list) != 0 {
			t.Errorf("sessions after ending all = %+v", list)
		}
		evs, _, _ := s.ListEvents(ctx(t), ports.EventFilter{UserID: u.ID}, "", 10)
		if len(evs) != 1 {
			t.Errorf("events = %d, want the session.ended", len(evs))
		}
	})
	t.Run("delete account", func(t *testing.T) {
		s := newStore(t)
		u := mustCreate(t, s, candidate(1))
		mustToken(t, s, token(u.ID, "fam1", 1))
		old := event(1, u.ID, domain.EventSessionCreated)
		wantErr(t, "record", s.RecordEvents(ctx(t), old), nil)
		wantErr(t, "delete", s.DeleteAccount(ctx(t), u.ID, event(2, u.ID, domain.EventUserDeleted), contractTime), nil)
		_, err := s.ByID(ctx(t), u.ID)
		wantErr(t, "user gone", err, domain.ErrNotFound)
		_, err = s.Get(ctx(t), hash(1))
		wantErr(t, "tokens gone", err, domain.ErrNotFound)
		evs, _, _ := s.ListEvents(ctx(t), ports.EventFilter{UserID: u.ID}, "", 10)
		if len(evs) != 2 || evs[0].Type != domain.EventUserDeleted || evs[1].IP != "" || evs[1].UserAgent != "" {
			t.Errorf("events = %+v, want user.deleted and the old one without ip/user agent", evs)
		}
		wantErr(t, "delete again", s.DeleteAccount(ctx(t), u.ID, event(3, u.ID, domain.EventUserDeleted), contractTime), domain.ErrNotFound)
		n, _, _ := s.ListEvents(ctx(t), ports.EventFilter{Type: domain.EventUserDeleted}, "", 10)
		if len(n) != 1 {
			t.Errorf("user.deleted events = %d, want 1 (a failed delete writes none)", len(n))
		}
	})
	t.Run("sms attempts newest first with filters and pages", func(t *testing.T) {
		s := newStore(t)
		for n := 1; n <= 3; n++ {
			a := ports.SendAttempt{ID: testID('a', n), MessageID: testID('m', n), Provider: "tencent", VendorMessageID: testID('v', n),
				Phone: "+8613711112222", Purpose: "login", Status: ports.SendStatusSent, CreatedAt: contractTime.Add(time.Duration(n) * time.Minute)}
			if n == 3 {
				a.Phone = "+8613700000000"
			}
			wantErr(t, "record", s.Record(ctx(t), a), nil)
		}
		_, err := s.ApplyReceipt(ctx(t), ports.DeliveryReceipt{Provider: "tencent", VendorMessageID: testID('v', 2), Delivered: true, VendorCode: "DELIVRD", At: contractTime.Add(time.Hour)})
		wantErr(t, "receipt", err, nil)
		page, next, err := s.ListSMSAttempts(ctx(t), ports.SMSAttemptFilter{Phone: "+8613711112222"}, "", 1)
		wantErr(t, "page 1", err, nil)
		if len(page) != 1 || page[0].ID != testID('a', 2) || page[0].Status != ports.SendStatusDelivered || page[0].ReceiptCode != "DELIVRD" {
			t.Fatalf("page 1 = %+v", page)
		}
		sameTime(t, "receipt_at", page[0].ReceiptAt, contractTime.Add(time.Hour))
		page, next, err = s.ListSMSAttempts(ctx(t), ports.SMSAttemptFilter{Phone: "+8613711112222"}, next, 1)
		wantErr(t, "page 2", err, nil)
		if len(page) != 1 || page[0].ID != testID('a', 1) || next != "" {
			t.Fatalf("page 2 = %+v, next %q", page, next)
		}
		page, _, _ = s.ListSMSAttempts(ctx(t), ports.SMSAttemptFilter{Since: contractTime.Add(2 * time.Minute)}, "", 10)
		if len(page) != 2 || page[0].ID != testID('a', 3) {
			t.Fatalf("since = %+v", page)
		}
	})
}
