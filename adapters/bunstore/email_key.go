package bunstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
)

// addEmailKeys adds users.email_key (SQLite has no ADD COLUMN IF NOT
// EXISTS, so the step looks first) and fills it from each stored email.
// Two users whose emails share a key (possible only on SQLite, whose old
// index folded ASCII alone) stop the migration with both ids: which one
// keeps the address is the operator's call, not the migration's.
func addEmailKeys(ctx context.Context, tx bun.Tx, d Dialect) error {
	if d == Postgres {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE users ADD COLUMN IF NOT EXISTS email_key text`); err != nil {
			return err
		}
	} else {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email_key'`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE users ADD COLUMN email_key text`); err != nil {
				return err
			}
		}
	}
	var rows []struct {
		ID    string `bun:"id"`
		Email string `bun:"email"`
	}
	if err := tx.NewSelect().Table("users").Column("id", "email").Where("email IS NOT NULL").Order("id").Scan(ctx, &rows); err != nil {
		return err
	}
	owner := make(map[string]string, len(rows))
	var dups []string
	for _, r := range rows {
		key := domain.EmailKey(r.Email)
		if other, ok := owner[key]; ok {
			dups = append(dups, fmt.Sprintf("%s and %s", other, r.ID))
			continue
		}
		owner[key] = r.ID
		if _, err := tx.NewUpdate().Table("users").Set("email_key = ?", key).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return err
		}
	}
	if len(dups) > 0 {
		return fmt.Errorf("users with one email told apart only by case or Unicode form (%s): change or clear one email of each pair, then migrate again", strings.Join(dups, "; "))
	}
	return nil
}
