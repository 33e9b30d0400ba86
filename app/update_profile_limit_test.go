package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

// TestUpdateProfileConflictsThrottled: username_taken / email_taken answer
// whether a name is registered, so conflicts are budgeted per user (10 an
// hour) and per client IP (30 an hour); a spent budget refuses every
// change that could conflict, taken or free, and leaves the rest alone.
func TestUpdateProfileConflictsThrottled(t *testing.T) {
	t.Run("per user", func(t *testing.T) {
		f := newFixture(t)
		alice, _ := seedAlice(t, f)
		probe := func(in app.UpdateProfileInput) error {
			in.UserID, in.Client = alice.ID, f.client() // a new IP each time
			_, err := f.updateProfile.Handle(t.Context(), in)
			return err
		}
		for range 10 {
			checkErr(t, probe(app.UpdateProfileInput{Username: ptr("bob")}), domain.ErrUsernameTaken)
		}
		rateLimited(t, probe(app.UpdateProfileInput{Username: ptr("bob")}), "profile_conflicts")
		rateLimited(t, probe(app.UpdateProfileInput{Email: ptr("free@example.com")}), "profile_conflicts")
		rateLimited(t, probe(app.UpdateProfileInput{Username: ptr("free_name")}), "profile_conflicts")
		checkErr(t, probe(app.UpdateProfileInput{Icon: ptr("https://cdn.example.com/a.png")}), nil)
		if u := f.user(t, alice.ID); u.Username != "Alice" || u.Email != "alice@example.com" {
			t.Fatalf("a refused change was applied: %+v", u)
		}
		f.clock.Advance(time.Hour + time.Second)
		checkErr(t, probe(app.UpdateProfileInput{Username: ptr("free_name")}), nil)
	})
	t.Run("per IP", func(t *testing.T) {
		f := newFixture(t)
		seedAlice(t, f)
		ip := f.client()
		var users []string
		for i := range 4 {
			u := f.seedUser(t, domain.User{ID: fmt.Sprint("u-", i), Username: fmt.Sprint("user_", i), Phone: fmt.Sprintf("+861371234%04d", i)}, "")
			users = append(users, u.ID)
		}
		probe := func(user, name string) error {
			_, err := f.updateProfile.Handle(t.Context(), app.UpdateProfileInput{UserID: user, Username: ptr(name), Client: ip})
			return err
		}
		for i := range 30 {
			checkErr(t, probe(users[i/10], "bob"), domain.ErrUsernameTaken)
		}
		rateLimited(t, probe(users[3], "bob"), "ip_profile_conflicts")
		rateLimited(t, probe(users[3], "free_name"), "ip_profile_conflicts")
		// The same user from another IP still has its own budget.
		if _, err := f.updateProfile.Handle(t.Context(), app.UpdateProfileInput{UserID: users[3], Username: ptr("free_name"), Client: f.client()}); err != nil {
			t.Fatal(err)
		}
	})
}
