package bunstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/authd/authd/domain"
)

// The SQLite first login runs as ONE transaction (a kill -9 between its
// steps must not leave a user without the session it was logging into),
// and is kept as fast as the autocommit steps it replaces: plain
// database/sql on statements prepared once per connection (no query
// building per call), at most four statements, and WAL with
// synchronous=NORMAL (sqliteParams), so the commit appends to the WAL
// without an fsync. BenchmarkStartPhoneLoginSQLite measures it.
const (
	sqliteInsertUser = `INSERT INTO users (id, username, phone, icon, disabled, created_at, updated_at, last_login_at)
VALUES (?, ?, ?, '', false, ?, ?, ?) ON CONFLICT (phone) DO NOTHING`
	sqliteTouchUser = `UPDATE users SET last_login_at = ? WHERE phone = ? RETURNING ` + userColumns + `, false`
	sqliteInsertTok = `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, user_agent, ip)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	sqliteInsertSession = `INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
VALUES (?, ?, ?, ?, ?, ?, ?)`
)

// sqliteStmts holds the prepared first-login statements. They are prepared
// on first use, not at Open: SQLite refuses to prepare a statement on a
// table that the migrations have not created yet.
type sqliteStmts struct {
	mu                                sync.Mutex
	insertUser, touch, token, session *sql.Stmt
}

func (p *sqliteStmts) get(ctx context.Context, db *sql.DB) (*sqliteStmts, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.token != nil {
		return p, nil
	}
	var stmts [4]*sql.Stmt
	for i, q := range []string{sqliteInsertUser, sqliteTouchUser, sqliteInsertTok, sqliteInsertSession} {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			for _, done := range stmts[:i] {
				_ = done.Close()
			}
			return nil, err
		}
		stmts[i] = st
	}
	p.insertUser, p.touch, p.token, p.session = stmts[0], stmts[1], stmts[2], stmts[3]
	return p, nil
}

func (p *sqliteStmts) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range []*sql.Stmt{p.insertUser, p.touch, p.token, p.session} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// sqliteTS is how bun's SQLite dialect writes a time, so values written by
// these statements compare and read back like every other row's.
func sqliteTS(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
}

// startPhoneLoginSQLite is StartPhoneLogin in one transaction: insert the
// user unless the phone exists, else record the login and read the user,
// then store the first refresh token unless the user is disabled.
func (s *Store) startPhoneLoginSQLite(ctx context.Context, c domain.User, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	st, err := s.sqlite.get(ctx, s.db.DB)
	if err != nil {
		return domain.User{}, false, translate(err)
	}
	now = ts(now)
	tx, err := s.db.DB.BeginTx(ctx, nil)
	if err != nil {
		return domain.User{}, false, translate(err)
	}
	u, created, err := startPhoneLoginTx(ctx, tx, st, c, first, now)
	if err != nil {
		_ = tx.Rollback()
		return domain.User{}, false, translate(err)
	}
	if err := tx.Commit(); err != nil {
		return domain.User{}, false, translate(err)
	}
	return u, created, nil
}

func startPhoneLoginTx(ctx context.Context, tx *sql.Tx, st *sqliteStmts, c domain.User, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	created := ts(c.CreatedAt)
	res, err := tx.StmtContext(ctx, st.insertUser).ExecContext(ctx,
		c.ID, c.Username, c.Phone, sqliteTS(created), sqliteTS(created), sqliteTS(now))
	if err != nil {
		return domain.User{}, false, err
	}
	var u domain.User
	isNew := false
	if n, err := res.RowsAffected(); err == nil && n == 1 {
		isNew = true
		u = domain.User{ID: c.ID, Username: c.Username, Phone: c.Phone, CreatedAt: created, UpdatedAt: created, LastLoginAt: now}
	} else {
		if u, err = scanSQLiteUser(tx.StmtContext(ctx, st.touch).QueryRowContext(ctx, sqliteTS(now), c.Phone)); err != nil {
			return domain.User{}, false, err
		}
	}
	if !u.Disabled {
		_, err := tx.StmtContext(ctx, st.token).ExecContext(ctx, first.ID, u.ID, first.FamilyID, first.Hash,
			sqliteTS(ts(first.CreatedAt)), sqliteTS(ts(first.ExpiresAt)), first.UserAgent, first.IP)
		if err != nil {
			return domain.User{}, false, err
		}
		_, err = tx.StmtContext(ctx, st.session).ExecContext(ctx, first.FamilyID, u.ID,
			sqliteTS(ts(first.CreatedAt)), sqliteTS(ts(first.CreatedAt)), sqliteTS(ts(first.ExpiresAt)), first.UserAgent, first.IP)
		if err != nil {
			return domain.User{}, false, err
		}
	}
	return u, isNew, nil
}

// scanSQLiteUser reads userColumns and the created flag from a RETURNING
// row, whose columns carry no declared type, so the driver hands the times
// over as the text bun wrote.
func scanSQLiteUser(row *sql.Row) (domain.User, error) {
	var (
		r                            userRow
		email, hash                  sql.NullString
		createdAt, updatedAt, lastAt sqliteTime
		created                      bool
	)
	err := row.Scan(&r.ID, &r.Username, &r.Phone, &email, &hash, &r.Icon, &r.Disabled,
		&createdAt, &updatedAt, &lastAt, &created)
	if err != nil {
		return domain.User{}, err
	}
	r.Email, r.PasswordHash = email.String, hash.String
	r.CreatedAt, r.UpdatedAt, r.LastLoginAt = createdAt.t, updatedAt.t, lastAt.t
	return r.domain(), nil
}

// sqliteTime scans a time SQLite returns as text, time or NULL.
type sqliteTime struct{ t time.Time }

func (st *sqliteTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		st.t = time.Time{}
		return nil
	case time.Time:
		st.t = v
		return nil
	case []byte:
		return st.parse(string(v))
	case string:
		return st.parse(v)
	}
	return fmt.Errorf("bunstore: cannot scan %T as a time", v)
}

func (st *sqliteTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			st.t = t
			return nil
		}
	}
	return fmt.Errorf("bunstore: cannot parse time %q", s)
}
