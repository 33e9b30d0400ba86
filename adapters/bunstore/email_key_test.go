package bunstore

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
)

// TestAddEmailKeys: the migration fills email_key from stored emails and
// stops, naming both users, when two emails share a key (rows an older
// SQLite index let in).
func TestAddEmailKeys(t *testing.T) {
	s := migrated(t, dialects[0].url(t))
	for i, email := range []string{"ÄBC@x.com", "ann@x.com", ""} {
		u := domain.User{ID: string(rune('a' + i)), Username: "user_" + string(rune('a'+i)), Phone: "+861371111000" + string(rune('1'+i))}
		if _, _, err := s.FindOrCreateByPhone(t.Context(), u); err != nil {
			t.Fatal(err)
		}
		if email != "" {
			// Written as an old binary did: no key.
			if _, err := s.db.NewUpdate().Table("users").Set("email = ?", email).Where("id = ?", u.ID).Exec(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func() error {
		return s.db.RunInTx(t.Context(), nil, func(ctx2 context.Context, tx bun.Tx) error { return addEmailKeys(ctx2, tx, SQLite) })
	}
	if err := run(); err != nil {
		t.Fatal(err)
	}
	if u, err := s.ByEmail(t.Context(), "äbc@X.com"); err != nil || u.ID != "a" {
		t.Fatalf("ByEmail after backfill = %+v, %v", u, err)
	}
	// A duplicate by Unicode case: drop the unique index as the old schema
	// had none for it, then the backfill must refuse.
	if _, err := s.db.ExecContext(t.Context(), "DROP INDEX users_email_key_key"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.NewUpdate().Table("users").Set("email = ?", "äbc@x.com").Set("email_key = NULL").Where("id = ?", "c").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := run(); err == nil || !strings.Contains(err.Error(), "a and c") {
		t.Fatalf("backfill with duplicates = %v, want an error naming a and c", err)
	}
}
