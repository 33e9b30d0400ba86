package bunstore

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.AdminUsers = (*Store)(nil)

// likePrefix escapes LIKE's wildcards so that a query is a plain prefix.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return strings.ToLower(r.Replace(s)) + "%"
}

// SearchUsers pages newest first by id (UUID v7, so by creation time).
func (s *Store) SearchUsers(ctx context.Context, q ports.UserQuery, cursor string, limit int) ([]domain.User, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	var rows []userRow
	sel := s.db.NewSelect().Model(&rows).OrderExpr("u.id DESC").Limit(int64(limit + 1))
	if q.Phone != "" || q.Prefix != "" {
		sel = sel.WhereGroup(" AND ", func(g *bun.SelectQuery) *bun.SelectQuery {
			if q.Phone != "" {
				g = g.WhereOr("u.phone = ?", q.Phone)
			}
			if q.Prefix != "" {
				p := likePrefix(q.Prefix)
				g = g.WhereOr(`lower(u.username) LIKE ? ESCAPE '\'`, p).WhereOr(`lower(u.email) LIKE ? ESCAPE '\'`, p)
			}
			return g
		})
	}
	if cursor != "" {
		sel = sel.Where("u.id < ?", cursor)
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, "", translate(err)
	}
	rows, next := lastPage(rows, limit, func(r userRow) string { return r.ID })
	out := make([]domain.User, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// CreateUser inserts the user and its events in one transaction.
func (s *Store) CreateUser(ctx context.Context, u domain.User, evs []domain.Event) error {
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	row := userToRow(u)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return translate(err)
		}
		return insertEvents(ctx, tx, evs)
	})
}

// ChangeUser is the update-function shape: load (locked on Postgres; on
// SQLite the immediate transaction already holds the write lock), decide,
// save the user, its events and the session ends together.
func (s *Store) ChangeUser(ctx context.Context, id string, change func(domain.User) (ports.UserChange, error)) (domain.User, error) {
	var saved domain.User
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row userRow
		sel := tx.NewSelect().Model(&row).Where("u.id = ?", id)
		if s.dialect == Postgres {
			sel = sel.For("UPDATE")
		}
		if err := sel.Scan(ctx); err != nil {
			return translate(err)
		}
		c, err := change(row.domain())
		if err != nil {
			return err
		}
		n := userToRow(c.User)
		_, err = tx.NewUpdate().Model((*userRow)(nil)).Where("id = ?", id).
			Set("username = ?", n.Username).Set("phone = ?", n.Phone).Set("email = ?", nullable(n.Email)).
			Set("icon = ?", n.Icon).Set("disabled = ?", n.Disabled).Set("updated_at = ?", n.UpdatedAt).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if c.EndSessions {
			if err := revokeUserTokens(ctx, tx, id, n.UpdatedAt); err != nil {
				return err
			}
		}
		if err := insertEvents(ctx, tx, c.Events); err != nil {
			return err
		}
		saved = c.User
		return nil
	})
	if err != nil {
		return domain.User{}, err
	}
	return s.ByID(ctx, saved.ID)
}

// nullable stores "" as NULL (emails are unique when present).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
