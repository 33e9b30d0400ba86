package app

import (
	"context"
	"fmt"
	"net/url"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// UpdateProfileInput carries the fields to change; nil leaves one as is.
type UpdateProfileInput struct {
	UserID     string
	Username   *string
	Email      *string
	ClearEmail bool
	Icon       *string
}

// UpdateProfile changes the signed-in user's username, email or icon.
type UpdateProfile struct {
	users  ports.Users
	phones ports.PhoneParser
	clock  ports.Clock
}

// NewUpdateProfile builds the use case.
func NewUpdateProfile(users ports.Users, phones ports.PhoneParser, clock ports.Clock) *UpdateProfile {
	return &UpdateProfile{users: users, phones: phones, clock: clock}
}

// Handle validates each given field and applies them together.
func (uc *UpdateProfile) Handle(ctx context.Context, in UpdateProfileInput) (domain.User, error) {
	if _, err := activeUser(ctx, uc.users, in.UserID); err != nil {
		return domain.User{}, err
	}
	patch := domain.ProfilePatch{Username: in.Username, ClearEmail: in.ClearEmail, Icon: in.Icon}
	if in.Username != nil {
		if err := domain.ValidateUsername(*in.Username); err != nil {
			return domain.User{}, err
		}
		// "138-0013-8000" passes the character rules but password login
		// would read it as a phone: its owner could never use it, and it
		// could pose as someone else's number.
		if _, err := uc.phones.Parse(*in.Username); err == nil {
			return domain.User{}, domain.ErrInvalidUsername
		}
	}
	if in.Email != nil {
		e, err := domain.NormalizeEmail(*in.Email)
		if err != nil {
			return domain.User{}, err
		}
		patch.Email = &e
	}
	if in.Icon != nil && !validIcon(*in.Icon) {
		return domain.User{}, fmt.Errorf("icon must be an http(s) URL of at most 2048 bytes: %w", domain.ErrInvalidRequest)
	}
	u, err := uc.users.UpdateProfile(ctx, in.UserID, patch, uc.clock.Now())
	if err != nil {
		return domain.User{}, fmt.Errorf("update profile: %w", err)
	}
	return u, nil
}

// validIcon accepts an absolute http(s) URL, or "" to remove the icon.
func validIcon(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 2048 || !domain.IsPlainText(s) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
