package bunstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.GuardDecisions = (*Store)(nil)

// guardDecisionRow is one abuse guard decision.
type guardDecisionRow struct {
	bun.BaseModel `bun:"table:guard_decisions,alias:gd"`

	ID      string    `bun:"id,pk"`
	At      time.Time `bun:"at,notnull"`
	Phone   string    `bun:"phone,notnull"`
	Country string    `bun:"country,notnull"`
	Prefix  string    `bun:"prefix,notnull"`
	IP      string    `bun:"ip,notnull"`
	Action  string    `bun:"action,notnull"`
	Rule    string    `bun:"rule,notnull"`
	Mode    string    `bun:"mode,notnull"`
}

// RecordDecision implements ports.GuardDecisions. The id starts with the
// time, so ids sort as the decisions were made.
func (s *Store) RecordDecision(ctx context.Context, d domain.GuardDecision) error {
	row := guardDecisionRow{ID: fmt.Sprintf("%019d-%s", d.At.UnixNano(), rand.Text()[:8]), At: ts(d.At),
		Phone: d.Phone, Country: d.Country, Prefix: d.Prefix, IP: d.IP, Action: string(d.Action), Rule: d.Rule, Mode: string(d.Mode)}
	_, err := s.db.NewInsert().Model(&row).Exec(ctx)
	return translate(err)
}

// Decisions implements ports.GuardDecisions.
func (s *Store) Decisions(ctx context.Context, since time.Time, limit int) ([]domain.GuardDecision, error) {
	var rows []guardDecisionRow
	err := s.db.NewSelect().Model(&rows).Where("at >= ?", ts(since)).OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.GuardDecision, len(rows))
	for i, r := range rows {
		out[i] = domain.GuardDecision{At: r.At.UTC(), Phone: r.Phone, Country: r.Country, Prefix: r.Prefix, IP: r.IP,
			Action: domain.GuardAction(r.Action), Rule: r.Rule, Mode: domain.GuardMode(r.Mode)}
	}
	return out, nil
}
