package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"

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

// GetProfile returns the signed-in user.
type GetProfile struct{ users ports.Users }

// NewGetProfile builds the use case.
func NewGetProfile(users ports.Users) *GetProfile { return &GetProfile{users: users} }

// Handle returns the user with this id.
func (uc *GetProfile) Handle(ctx context.Context, userID string) (domain.User, error) {
	return activeUser(ctx, uc.users, userID)
}

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
