package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// AdminKeys stores admin API keys (hashed). Errors match
// domain.ErrUnavailable when the database cannot be reached.
type AdminKeys interface {
	// CreateAdminKey stores k. A live key with the same name is
	// domain.ErrAdminKeyNameTaken (a revoked one does not count).
	CreateAdminKey(ctx context.Context, k domain.AdminKey) error
	// AdminKeyByID returns the key, live or revoked, or domain.ErrNotFound.
	AdminKeyByID(ctx context.Context, id string) (domain.AdminKey, error)
	// ListAdminKeys returns every key, revoked ones included, oldest first.
	ListAdminKeys(ctx context.Context) ([]domain.AdminKey, error)
	// RevokeAdminKey revokes the live key with this name, or returns
	// domain.ErrNotFound when there is none.
	RevokeAdminKey(ctx context.Context, name string, now time.Time) error
}
