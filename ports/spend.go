package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// SpendCounter keeps the SMS spend of the current UTC day and month,
// shared by every instance using the same store. Failures match
// domain.ErrUnavailable.
type SpendCounter interface {
	// Reserve adds amount to the day and the month of now, atomically and
	// only if neither would pass its limit; otherwise it adds nothing and
	// returns *domain.BudgetExhaustedError for the period that is full
	// (daily first). It returns the totals after the reservation.
	Reserve(ctx context.Context, amount domain.Money, limits domain.SpendLimits, now time.Time) (domain.SpendTotals, error)
	// Add adds delta (negative: a release) to the day and the month of at,
	// the time the reservation was made, without a limit.
	Add(ctx context.Context, delta domain.Money, at time.Time) error
	// Totals returns what the periods of now have spent.
	Totals(ctx context.Context, now time.Time) (domain.SpendTotals, error)
}

// SpendReport is one send's cost, with the periods' totals after it.
type SpendReport struct {
	Currency string
	Cost     domain.Money
	Totals   domain.SpendTotals
	Limits   domain.SpendLimits
	At       time.Time
}

// SpendReporter makes spend visible (metrics, the 80% warning).
type SpendReporter interface {
	Spent(ctx context.Context, r SpendReport)
}
