package bunstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.Events = (*Store)(nil)

type eventRow struct {
	bun.BaseModel `bun:"table:security_events,alias:se"`

	ID        string    `bun:"id,pk"`
	UserID    string    `bun:"user_id,notnull"`
	Type      string    `bun:"type,notnull"`
	At        time.Time `bun:"at,notnull"`
	IP        string    `bun:"ip,notnull"`
	UserAgent string    `bun:"user_agent,notnull"`
	Actor     string    `bun:"actor,notnull"`
	Details   string    `bun:"details,notnull"`
}

func eventToRow(e domain.Event) (eventRow, error) {
	details := "{}"
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return eventRow{}, fmt.Errorf("event details: %w", err)
		}
		details = string(b)
	}
	return eventRow{ID: e.ID, UserID: e.UserID, Type: string(e.Type), At: ts(e.At), IP: e.IP,
		UserAgent: e.UserAgent, Actor: e.Actor, Details: details}, nil
}

func (r eventRow) toDomain() domain.Event {
	e := domain.Event{ID: r.ID, Type: domain.EventType(r.Type), UserID: r.UserID, At: r.At.UTC(),
		IP: r.IP, UserAgent: r.UserAgent, Actor: r.Actor}
	if r.Details != "" && r.Details != "{}" {
		// Details were marshalled by eventToRow; a row that does not parse
		// (edited by hand) is shown without them rather than failing a list.
		_ = json.Unmarshal([]byte(r.Details), &e.Details)
	}
	return e
}

// insertEvents writes evs with db, which is the transaction of the change
// they report (or the pool, for events that are the whole change).
func insertEvents(ctx context.Context, db bun.IDB, evs []domain.Event) error {
	if len(evs) == 0 {
		return nil
	}
	rows := make([]eventRow, len(evs))
	for i, e := range evs {
		r, err := eventToRow(e)
		if err != nil {
			return err
		}
		rows[i] = r
	}
	_, err := db.NewInsert().Model(&rows).Exec(ctx)
	return translate(err)
}

// RecordEvents stores events that are the whole change (one statement).
func (s *Store) RecordEvents(ctx context.Context, evs ...domain.Event) error {
	return insertEvents(ctx, s.db, evs)
}

// ListEvents pages newest first by id (UUID v7, so by creation time).
func (s *Store) ListEvents(ctx context.Context, f ports.EventFilter, cursor string, limit int) ([]domain.Event, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	var rows []eventRow
	q := s.db.NewSelect().Model(&rows).OrderExpr("id DESC").Limit(int64(limit + 1))
	if f.UserID != "" {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.Type != "" {
		q = q.Where("type = ?", string(f.Type))
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", ts(f.Since))
	}
	if cursor != "" {
		q = q.Where("id < ?", cursor)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", translate(err)
	}
	rows, next := lastPage(rows, limit, func(r eventRow) string { return r.ID })
	evs := make([]domain.Event, len(rows))
	for i, r := range rows {
		evs[i] = r.toDomain()
	}
	return evs, next, nil
}

// PruneEvents deletes the oldest events before the cut-off, batch at a time
// (a subquery picks the ids, so the delete is bounded on both databases).
func (s *Store) PruneEvents(ctx context.Context, before time.Time, batch int) (int, error) {
	if batch <= 0 {
		return 0, nil
	}
	ids := s.db.NewSelect().Model((*eventRow)(nil)).Column("id").
		Where("at < ?", ts(before)).OrderExpr("at").Limit(int64(batch))
	res, err := s.db.NewDelete().Model((*eventRow)(nil)).Where("id IN (?)", ids).Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	n, err := res.RowsAffected()
	return int(n), translate(err)
}
