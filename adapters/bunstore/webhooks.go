package bunstore

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.WebhookOutbox = (*Store)(nil)

// outboxRow is a security event with its delivery columns.
type outboxRow struct {
	eventRow   `bun:",extend"`
	Status     string    `bun:"webhook_status"`
	Attempts   int       `bun:"webhook_attempts"`
	NextAt     time.Time `bun:"webhook_next_at,nullzero"`
	LeaseUntil time.Time `bun:"webhook_lease_until,nullzero"`
	LeaseOwner string    `bun:"webhook_lease_owner"`
	Done       string    `bun:"webhook_done"`
	Error      string    `bun:"webhook_error"`
	RetryFrom  time.Time `bun:"webhook_retry_from,nullzero"`
}

func (r outboxRow) domain() ports.OutboxEvent {
	e := ports.OutboxEvent{Event: r.toDomain(), Status: r.Status, Attempts: r.Attempts, LastError: r.Error,
		RetryFrom: ts(r.RetryFrom)}
	if e.RetryFrom.IsZero() {
		e.RetryFrom = e.At
	}
	if r.Done != "" {
		e.Done = strings.Split(r.Done, ",")
	}
	return e
}

func webhookTypeNames() []string {
	types := domain.WebhookTypes()
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

// ClaimWebhookEvents is one UPDATE ... WHERE id IN (SELECT ...) RETURNING.
// On Postgres the SELECT takes its rows FOR UPDATE SKIP LOCKED, so a
// concurrent claim skips them and, once this one commits, sees their
// lease; SQLite has a single writer.
func (s *Store) ClaimWebhookEvents(ctx context.Context, owner string, now time.Time, lease time.Duration, n int) ([]ports.OutboxEvent, error) {
	if n <= 0 {
		return nil, nil
	}
	now = ts(now)
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	types := bun.List(webhookTypeNames())
	q := `UPDATE security_events SET webhook_lease_owner = ?, webhook_lease_until = ?
		WHERE id IN (SELECT e.id FROM security_events e
			WHERE e.webhook_status = 'pending' AND e.type IN (?)
			AND (e.webhook_next_at IS NULL OR e.webhook_next_at <= ?)
			AND (e.webhook_lease_until IS NULL OR e.webhook_lease_until <= ?)
			AND (e.user_id = '' OR NOT EXISTS (SELECT 1 FROM security_events p
				WHERE p.user_id = e.user_id AND p.id < e.id AND p.webhook_status = 'pending' AND p.type IN (?)))
			ORDER BY e.id LIMIT ?` + lock + `)
		RETURNING *`
	var rows []outboxRow
	if err := s.db.NewRaw(q, owner, now.Add(lease), types, now, now, types, n).Scan(ctx, &rows); err != nil {
		return nil, translate(err)
	}
	out := make([]ports.OutboxEvent, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	// RETURNING gives no order; deliver oldest first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// SettleWebhookEvent records the attempt and ends the lease.
func (s *Store) SettleWebhookEvent(ctx context.Context, id string, st ports.WebhookSettlement) error {
	q := s.db.NewUpdate().Model((*outboxRow)(nil)).Where("id = ?", id).Where("webhook_status = 'pending'").
		Set("webhook_status = ?", st.Status).Set("webhook_attempts = webhook_attempts + 1").
		Set("webhook_done = ?", strings.Join(st.Done, ",")).Set("webhook_error = ?", truncate(st.Error, 500)).
		Set("webhook_lease_until = NULL").Set("webhook_lease_owner = ''")
	if st.NextAt.IsZero() {
		q = q.Set("webhook_next_at = NULL")
	} else {
		q = q.Set("webhook_next_at = ?", ts(st.NextAt))
	}
	_, err := q.Exec(ctx)
	return translate(err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// WebhookStats counts by state in one pass.
func (s *Store) WebhookStats(ctx context.Context) (ports.WebhookStats, error) {
	var rows []struct {
		Status string    `bun:"webhook_status"`
		N      int       `bun:"n"`
		Oldest time.Time `bun:"oldest"`
	}
	err := s.db.NewSelect().Model((*outboxRow)(nil)).
		ColumnExpr("webhook_status, count(*) AS n, min(at) AS oldest").
		Where("type IN (?)", bun.List(webhookTypeNames())).Group("webhook_status").Scan(ctx, &rows)
	if err != nil {
		return ports.WebhookStats{}, translate(err)
	}
	var st ports.WebhookStats
	for _, r := range rows {
		switch r.Status {
		case ports.WebhookPending:
			st.Pending, st.OldestPending = r.N, ts(r.Oldest)
		case ports.WebhookDead:
			st.Dead = r.N
		case ports.WebhookDelivered:
			st.Delivered = r.N
		}
	}
	return st, nil
}

// DeadWebhookEvents lists dead events, newest first.
func (s *Store) DeadWebhookEvents(ctx context.Context, limit int) ([]ports.OutboxEvent, error) {
	var rows []outboxRow
	err := s.db.NewSelect().Model(&rows).Where("webhook_status = ?", ports.WebhookDead).
		OrderExpr("id DESC").Limit(int64(max(limit, 1))).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]ports.OutboxEvent, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ReplayWebhookEvents makes dead events pending with a fresh window.
func (s *Store) ReplayWebhookEvents(ctx context.Context, ids []string, now time.Time) (int, error) {
	q := s.db.NewUpdate().Model((*outboxRow)(nil)).Where("webhook_status = ?", ports.WebhookDead).
		Set("webhook_status = 'pending'").Set("webhook_attempts = 0").Set("webhook_next_at = NULL").
		Set("webhook_done = ''").Set("webhook_error = ''").Set("webhook_retry_from = ?", ts(now))
	if len(ids) > 0 {
		q = q.Where("id IN (?)", bun.List(ids))
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	n, err := res.RowsAffected()
	return int(n), translate(err)
}
