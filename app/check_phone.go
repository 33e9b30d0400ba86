package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// CheckPhone tells whether a phone is registered (GET /v1/users/exists).
type CheckPhone struct {
	cfg     Config
	phones  ports.PhoneParser
	users   ports.Users
	limiter ports.RateLimiter
	clock   ports.Clock
}

// NewCheckPhone builds the use case.
func NewCheckPhone(cfg Config, phones ports.PhoneParser, users ports.Users, limiter ports.RateLimiter, clock ports.Clock) *CheckPhone {
	return &CheckPhone{cfg: cfg, phones: phones, users: users, limiter: limiter, clock: clock}
}

// Enabled reports whether the lookup is switched on.
func (uc *CheckPhone) Enabled() bool { return uc.cfg.ExposePhoneLookup }

// Handle answers the lookup, rate limited per client IP because it is the
// one endpoint that reveals registration.
func (uc *CheckPhone) Handle(ctx context.Context, raw string, client Client) (domain.Phone, bool, error) {
	if !uc.cfg.ExposePhoneLookup {
		return domain.Phone{}, false, domain.ErrFeatureDisabled
	}
	phone, err := uc.phones.Parse(raw)
	if err != nil {
		return domain.Phone{}, false, err
	}
	if err := uc.limiter.Take(ctx, client.limitKey("ip_lookup"), uc.cfg.phoneLookupLimit(), uc.clock.Now()); err != nil {
		return domain.Phone{}, false, err
	}
	_, err = uc.users.ByPhone(ctx, phone.E164)
	if errors.Is(err, domain.ErrNotFound) {
		return phone, false, nil
	}
	if err != nil {
		return domain.Phone{}, false, fmt.Errorf("look up phone: %w", err)
	}
	return phone, true, nil
}
