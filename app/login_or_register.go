package app

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// LoginInput is a phone + code login.
type LoginInput struct {
	Phone  string
	Code   string
	Client Client
}

// LoginOrRegister logs a phone in with a one-time code, registering it on first use.
type LoginOrRegister struct {
	phones   ports.PhoneParser
	codes    *CodeVerifier
	sessions *Sessions
	initial  *InitialPassword
}

// NewLoginOrRegister builds the use case.
func NewLoginOrRegister(phones ports.PhoneParser, codes *CodeVerifier, sessions *Sessions, initial *InitialPassword) *LoginOrRegister {
	return &LoginOrRegister{phones: phones, codes: codes, sessions: sessions, initial: initial}
}

// Handle verifies the code and returns a session for the phone's user,
// creating the user if the phone is new.
func (uc *LoginOrRegister) Handle(ctx context.Context, in LoginInput) (Session, error) {
	if in.Code == "" {
		return Session{}, fmt.Errorf("code is required: %w", domain.ErrInvalidRequest)
	}
	phone, err := uc.phones.Parse(in.Phone)
	if err != nil {
		return Session{}, err
	}
	if err := uc.codes.Verify(ctx, phone, domain.PurposeLogin, in.Code, in.Client); err != nil {
		return Session{}, err
	}
	s, err := uc.sessions.StartPhone(ctx, phone, in.Client)
	if err != nil {
		return Session{}, err
	}
	if s.Created {
		if s.User, err = uc.initial.send(ctx, s.User, phone); err != nil {
			return Session{}, err
		}
	}
	return s, nil
}
