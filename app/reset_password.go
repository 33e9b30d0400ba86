package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ResetPasswordInput is a reset with a code sent for purpose reset_password.
type ResetPasswordInput struct {
	Phone       string
	Code        string
	NewPassword string
	Client      Client
}

// ResetPassword replaces a forgotten password using an SMS code.
type ResetPassword struct {
	phones    ports.PhoneParser
	users     ports.Users
	codes     *CodeVerifier
	passwords *Passwords
}

// NewResetPassword builds the use case.
func NewResetPassword(phones ports.PhoneParser, users ports.Users, codes *CodeVerifier, passwords *Passwords) *ResetPassword {
	return &ResetPassword{phones: phones, users: users, codes: codes, passwords: passwords}
}

// Handle checks the new password, then the code, then replaces the
// password and revokes every session of the user.
func (uc *ResetPassword) Handle(ctx context.Context, in ResetPasswordInput) error {
	if in.Code == "" || in.NewPassword == "" {
		return fmt.Errorf("code and new_password are required: %w", domain.ErrInvalidRequest)
	}
	phone, err := uc.phones.Parse(in.Phone)
	if err != nil {
		return err
	}
	u, err := uc.users.ByPhone(ctx, phone.E164)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("look up phone: %w", err)
	}
	// Strength before the code: a refused password must not burn the code.
	// It is judged against the phone alone, as for an unknown phone, so the
	// answer reveals neither registration nor whose username goes with it.
	if err := uc.passwords.check(in.NewPassword, domain.User{Phone: phone.E164}); err != nil {
		return err
	}
	if err := uc.codes.Verify(ctx, phone, domain.PurposeResetPassword, in.Code, in.Client); err != nil {
		return err
	}
	if u.ID == "" {
		return domain.ErrInvalidCode // codes are never sent to unregistered phones
	}
	if u.Disabled {
		return domain.ErrAccountDisabled
	}
	return uc.passwords.replace(ctx, u, in.NewPassword, "")
}
