package app

import (
	"context"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// GetProfile returns the signed-in user.
type GetProfile struct{ users ports.Users }

// NewGetProfile builds the use case.
func NewGetProfile(users ports.Users) *GetProfile { return &GetProfile{users: users} }

// Handle returns the user with this id.
func (uc *GetProfile) Handle(ctx context.Context, userID string) (domain.User, error) {
	return activeUser(ctx, uc.users, userID)
}
