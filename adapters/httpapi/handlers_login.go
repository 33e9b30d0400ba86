package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

type userJSON struct {
	ID          string  `json:"id"`
	Username    string  `json:"username"`
	Phone       string  `json:"phone"`
	Email       *string `json:"email"`
	Icon        *string `json:"icon"`
	HasPassword bool    `json:"has_password"`
	CreatedAt   string  `json:"created_at"`
}

func toUserJSON(u domain.User) userJSON {
	out := userJSON{ID: u.ID, Username: u.Username, Phone: u.Phone, HasPassword: u.HasPassword(),
		CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339)}
	if u.Email != "" {
		out.Email = &u.Email
	}
	if u.Icon != "" {
		out.Icon = &u.Icon
	}
	return out
}

type sessionJSON struct {
	AccessToken      string   `json:"access_token"`
	TokenType        string   `json:"token_type"`
	ExpiresIn        int      `json:"expires_in"`
	RefreshToken     string   `json:"refresh_token"`
	RefreshExpiresIn int      `json:"refresh_expires_in"`
	Created          bool     `json:"created"`
	User             userJSON `json:"user"`
}

func toSessionJSON(s app.Session) sessionJSON {
	return sessionJSON{AccessToken: s.Access.Token, TokenType: "Bearer", ExpiresIn: int(s.Access.TTL / time.Second),
		RefreshToken: s.RefreshToken, RefreshExpiresIn: int(s.RefreshTTL / time.Second), Created: s.Created,
		User: toUserJSON(s.User)}
}

func (s *Server) requestCode(c *fiber.Ctx) error {
	var in struct {
		Phone   string `json:"phone"`
		Purpose string `json:"purpose"`
		Locale  string `json:"locale"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	res, err := s.UseCases.RequestCode.Handle(c.UserContext(), app.RequestCodeInput{Phone: in.Phone, Purpose: in.Purpose,
		Locale: in.Locale, Client: s.client(c)})
	purpose := string(res.Purpose)
	if err != nil {
		purpose = "unknown"
		if p, perr := domain.ParsePurpose(in.Purpose); perr == nil {
			purpose = string(p)
		}
	}
	s.metrics.codes.WithLabelValues(purpose, outcome(err, "sent")).Inc()
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusAccepted, fiber.Map{
		"phone": res.Phone.E164, "purpose": res.Purpose,
		"expires_in":   int(res.Policy.TTL / time.Second),
		"resend_after": int(res.Policy.ResendAfter / time.Second),
	})
}

func (s *Server) loginSMS(c *fiber.Ctx) error {
	var in struct {
		Phone string `json:"phone"`
		Code  string `json:"code"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	sess, err := s.UseCases.LoginOrRegister.Handle(c.UserContext(), app.LoginInput{Phone: in.Phone, Code: in.Code, Client: s.client(c)})
	success := "success"
	if sess.Created {
		success = "created"
	}
	s.metrics.logins.WithLabelValues("sms", outcome(err, success)).Inc()
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if sess.Created {
		status = fiber.StatusCreated
	}
	return reply(c, status, toSessionJSON(sess))
}

func (s *Server) loginPassword(c *fiber.Ctx) error {
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	sess, err := s.UseCases.PasswordLogin.Handle(c.UserContext(), app.PasswordLoginInput{Login: in.Login, Password: in.Password, Client: s.client(c)})
	s.metrics.logins.WithLabelValues("password", outcome(err, "success")).Inc()
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusOK, toSessionJSON(sess))
}

type refreshJSON struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(c *fiber.Ctx) error {
	var in refreshJSON
	if err := decode(c, &in); err != nil {
		return err
	}
	sess, err := s.UseCases.RefreshSession.Handle(c.UserContext(), in.RefreshToken, s.client(c))
	s.metrics.logins.WithLabelValues("refresh", outcome(err, "success")).Inc()
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusOK, toSessionJSON(sess))
}

func (s *Server) logout(c *fiber.Ctx) error {
	var in refreshJSON
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.UseCases.Logout.Handle(c.UserContext(), in.RefreshToken); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) resetPassword(c *fiber.Ctx) error {
	var in struct {
		Phone       string `json:"phone"`
		Code        string `json:"code"`
		NewPassword string `json:"new_password"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	err := s.UseCases.ResetPassword.Handle(c.UserContext(), app.ResetPasswordInput{
		Phone: in.Phone, Code: in.Code, NewPassword: in.NewPassword, Client: s.client(c)})
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
