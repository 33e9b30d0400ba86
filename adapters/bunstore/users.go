package bunstore

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
)

// FindOrCreateByPhone inserts the candidate unless the phone exists
// (INSERT ... ON CONFLICT (phone) DO NOTHING) and then reads the row back,
// so concurrent first logins for one phone create exactly one user.
func (s *Store) FindOrCreateByPhone(ctx context.Context, c domain.User) (domain.User, bool, error) {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	row := userToRow(c)
	res, err := s.db.NewInsert().Model(&row).On("CONFLICT (phone) DO NOTHING").Exec(ctx)
	if err != nil {
		return domain.User{}, false, translate(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 1 {
		return row.domain(), true, nil
	}
	u, err := s.ByPhone(ctx, c.Phone)
	return u, false, err
}

// ByID returns the user or domain.ErrNotFound.
func (s *Store) ByID(ctx context.Context, id string) (domain.User, error) {
	return s.userWhere(ctx, "u.id = ?", id)
}

// ByPhone returns the user with this E.164 phone or domain.ErrNotFound.
func (s *Store) ByPhone(ctx context.Context, e164 string) (domain.User, error) {
	return s.userWhere(ctx, "u.phone = ?", e164)
}

// ByUsername looks the name up case-insensitively (served by the unique
// index on lower(username)).
func (s *Store) ByUsername(ctx context.Context, username string) (domain.User, error) {
	return s.userWhere(ctx, "lower(u.username) = lower(?)", username)
}

// ByEmail looks the address up by its key (domain.EmailKey), the same on
// both databases; the unique index on email_key serves it.
func (s *Store) ByEmail(ctx context.Context, email string) (domain.User, error) {
	if email == "" {
		return domain.User{}, domain.ErrNotFound
	}
	return s.userWhere(ctx, "u.email_key = ?", domain.EmailKey(email))
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (domain.User, error) {
	var row userRow
	if err := s.db.NewSelect().Model(&row).Where(where, arg).Limit(1).Scan(ctx); err != nil {
		return domain.User{}, translate(err)
	}
	return row.domain(), nil
}

// UpdateProfile applies the patch in one UPDATE and reads the user back.
func (s *Store) UpdateProfile(ctx context.Context, id string, p domain.ProfilePatch, now time.Time) (domain.User, error) {
	err := s.updateUser(ctx, id, func(q *bun.UpdateQuery) {
		q.Set("updated_at = ?", ts(now))
		if p.Username != nil {
			q.Set("username = ?", *p.Username)
		}
		switch {
		case p.ClearEmail || (p.Email != nil && *p.Email == ""):
			q.Set("email = NULL").Set("email_key = NULL")
		case p.Email != nil:
			q.Set("email = ?", *p.Email).Set("email_key = ?", domain.EmailKey(*p.Email))
		}
		if p.Icon != nil {
			q.Set("icon = ?", *p.Icon)
		}
	})
	if err != nil {
		return domain.User{}, err
	}
	return s.ByID(ctx, id)
}

// SetPasswordHash replaces the hash; an empty hash removes the password.
func (s *Store) SetPasswordHash(ctx context.Context, id string, hash string, now time.Time) error {
	return s.updateUser(ctx, id, func(q *bun.UpdateQuery) {
		if hash == "" {
			q.Set("password_hash = NULL")
		} else {
			q.Set("password_hash = ?", hash)
		}
		q.Set("updated_at = ?", ts(now))
	})
}

// SetDisabled disables or enables the account.
func (s *Store) SetDisabled(ctx context.Context, id string, disabled bool, now time.Time) error {
	return s.updateUser(ctx, id, func(q *bun.UpdateQuery) {
		q.Set("disabled = ?", disabled).Set("updated_at = ?", ts(now))
	})
}

// TouchLogin records the login time; it is not a profile change, so
// updated_at stays.
func (s *Store) TouchLogin(ctx context.Context, id string, at time.Time) error {
	return s.updateUser(ctx, id, func(q *bun.UpdateQuery) { q.Set("last_login_at = ?", ts(at)) })
}

// updateUser runs one UPDATE on the user; no matched row is ErrNotFound.
func (s *Store) updateUser(ctx context.Context, id string, set func(*bun.UpdateQuery)) error {
	q := s.db.NewUpdate().Model((*userRow)(nil)).Where("id = ?", id)
	set(q)
	res, err := q.Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return nil
}
