package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// InitialPassword is the opt-in seed behaviour (Config.SendInitialPassword):
// a random password set at SMS registration and texted to the phone.
type InitialPassword struct {
	enabled   bool
	passwords *Passwords
	sms       ports.SMS
	ids       ports.IDs
	log       *slog.Logger
}

// NewInitialPassword builds the step LoginOrRegister runs for a new user.
func NewInitialPassword(cfg Config, passwords *Passwords, sms ports.SMS, ids ports.IDs, log *slog.Logger) *InitialPassword {
	return &InitialPassword{enabled: cfg.SendInitialPassword, passwords: passwords, sms: sms, ids: ids, log: log}
}

// send gives the new user u a password when enabled. It is stored first
// and taken back if the text cannot be delivered, so the account never
// holds a password that nobody was told.
func (ip *InitialPassword) send(ctx context.Context, u domain.User, phone domain.Phone) (domain.User, error) {
	if !ip.enabled {
		return u, nil
	}
	pw := domain.GenerateInitialPassword()
	hash, err := ip.passwords.hash(ctx, pw)
	if err != nil {
		return u, fmt.Errorf("hash initial password: %w", err)
	}
	if err := ip.passwords.set(ctx, u, hash); err != nil {
		return u, fmt.Errorf("store initial password: %w", err)
	}
	msg := ports.SMSMessage{ID: ip.ids.NewID(), Phone: phone, Purpose: domain.PurposeInitialPassword, Code: pw}
	if _, err := ip.sms.Send(ctx, msg); err != nil {
		ip.log.WarnContext(ctx, "initial password not delivered; account stays passwordless", "err", err)
		if err := ip.passwords.set(context.WithoutCancel(ctx), u, ""); err != nil {
			return u, fmt.Errorf("take back undelivered initial password: %w", err)
		}
		return u, nil
	}
	u.PasswordHash = hash
	return u, nil
}
