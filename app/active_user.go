package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// activeUser loads a signed-in user; a deleted one is an invalid token and a
// disabled one is refused.
func activeUser(ctx context.Context, users ports.Users, id string) (domain.User, error) {
	u, err := users.ByID(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, domain.ErrInvalidToken
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("load user: %w", err)
	}
	if u.Disabled {
		return domain.User{}, domain.ErrAccountDisabled
	}
	return u, nil
}
