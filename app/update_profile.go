package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

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
	Client     Client // for the per-IP conflict budget
}

// A 409 username_taken / email_taken tells whether a name or address is
// registered: these budgets keep that oracle slow, per user and per client
// IP, counting only refused (conflicting) changes.
var (
	userConflictLimit = ports.Limit{Name: "profile_conflicts", Max: 10, Window: time.Hour}
	ipConflictLimit   = ports.Limit{Name: "ip_profile_conflicts", Max: 30, Window: time.Hour}
)

// UpdateProfile changes the signed-in user's username, email or icon.
type UpdateProfile struct {
	users   ports.Users
	phones  ports.PhoneParser
	limiter ports.RateLimiter
	clock   ports.Clock
}

// NewUpdateProfile builds the use case.
func NewUpdateProfile(users ports.Users, phones ports.PhoneParser, limiter ports.RateLimiter, clock ports.Clock) *UpdateProfile {
	return &UpdateProfile{users: users, phones: phones, limiter: limiter, clock: clock}
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
	now := uc.clock.Now()
	// Only a new username or email can conflict; once a budget is spent
	// every such change is refused, conflicting or not, so the 429 itself
	// tells nothing.
	mayConflict := in.Username != nil || patch.Email != nil
	userKey, ipKey := "profile_conflicts:"+in.UserID, in.Client.limitKey("ip_profile_conflicts")
	if mayConflict {
		if err := uc.limiter.Check(ctx, userKey, userConflictLimit, now); err != nil {
			return domain.User{}, err
		}
		if err := uc.limiter.Check(ctx, ipKey, ipConflictLimit, now); err != nil {
			return domain.User{}, err
		}
	}
	u, err := uc.users.UpdateProfile(ctx, in.UserID, patch, now)
	if errors.Is(err, domain.ErrUsernameTaken) || errors.Is(err, domain.ErrEmailTaken) {
		// Count the conflict; a budget just spent by a concurrent request
		// still leaves this answer a 409, the next one is refused.
		for _, k := range []struct {
			key string
			l   ports.Limit
		}{{userKey, userConflictLimit}, {ipKey, ipConflictLimit}} {
			if lerr := uc.limiter.Take(ctx, k.key, k.l, now); lerr != nil && !isRateLimited(lerr) {
				return domain.User{}, lerr
			}
		}
	}
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
