package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

func (s *Server) getMe(c *fiber.Ctx) error {
	u, err := s.UseCases.GetProfile.Handle(c.UserContext(), claimsOf(c).Subject)
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusOK, toUserJSON(u))
}

func (s *Server) patchMe(c *fiber.Ctx) error {
	// Raw members tell "email": null (remove it) from an absent email.
	var in struct {
		Username json.RawMessage `json:"username"`
		Email    json.RawMessage `json:"email"`
		Icon     json.RawMessage `json:"icon"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	upd := app.UpdateProfileInput{UserID: claimsOf(c).Subject, Client: s.client(c)}
	var null bool
	var err error
	if upd.Username, null, err = optionalString("username", in.Username); err == nil && null {
		err = fmt.Errorf("username must not be null: %w", domain.ErrInvalidRequest)
	}
	if err != nil {
		return err
	}
	if upd.Email, upd.ClearEmail, err = optionalString("email", in.Email); err != nil {
		return err
	}
	if upd.Icon, null, err = optionalString("icon", in.Icon); err != nil {
		return err
	}
	if null {
		empty := "" // "icon": null removes the icon
		upd.Icon = &empty
	}
	u, err := s.UseCases.UpdateProfile.Handle(c.UserContext(), upd)
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusOK, toUserJSON(u))
}

// optionalString decodes an optional string member: absent gives nil,
// JSON null gives null=true, anything but a string is invalid_request.
func optionalString(name string, raw json.RawMessage) (v *string, null bool, err error) {
	if len(raw) == 0 {
		return nil, false, nil
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, true, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false, fmt.Errorf("%s must be a string: %w", name, domain.ErrInvalidRequest)
	}
	s = strings.TrimSpace(s)
	return &s, false, nil
}

func (s *Server) putPassword(c *fiber.Ctx) error {
	var in struct {
		NewPassword     string `json:"new_password"`
		CurrentPassword string `json:"current_password"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	cl := claimsOf(c)
	err := s.UseCases.SetPassword.Handle(c.UserContext(), app.SetPasswordInput{
		UserID: cl.Subject, SessionID: cl.SessionID, CurrentPassword: in.CurrentPassword, NewPassword: in.NewPassword})
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
