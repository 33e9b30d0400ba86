package adminapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func (a *API) searchUsers(c *fiber.Ctx) error {
	cursor, limit, err := page(c)
	if err != nil {
		return err
	}
	us, next, err := a.Users.Search(c.UserContext(), strings.Clone(c.Query("query")), cursor, limit)
	if err != nil {
		return err
	}
	out := struct {
		Users []userJSON `json:"users"`
		Next  string     `json:"next_cursor,omitempty"`
	}{Users: make([]userJSON, len(us)), Next: next}
	for i, u := range us {
		out.Users[i] = toUserJSON(u)
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, out)
}

func (a *API) createUser(c *fiber.Ctx) error {
	var in struct {
		Phone    string `json:"phone"`
		Username string `json:"username"`
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := httpapi.DecodeJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Phone) == "" {
		return fmt.Errorf("phone is required: %w", domain.ErrInvalidRequest)
	}
	u, err := a.Users.Create(c.UserContext(), adminOf(c), app.AdminCreateUserInput{Phone: in.Phone,
		Username: strings.TrimSpace(in.Username), Email: in.Email, Password: in.Password})
	if err != nil {
		return err
	}
	return httpapi.ReplyJSON(c, fiber.StatusCreated, toUserJSON(u))
}

func (a *API) getUser(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	u, err := a.Users.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, toUserJSON(u))
}

func (a *API) updateUser(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	// Raw members tell "email": null (remove it) from an absent email.
	var raw struct {
		Disabled json.RawMessage `json:"disabled"`
		Username json.RawMessage `json:"username"`
		Email    json.RawMessage `json:"email"`
		Icon     json.RawMessage `json:"icon"`
		Phone    json.RawMessage `json:"phone"`
	}
	if err := httpapi.DecodeJSON(c, &raw); err != nil {
		return err
	}
	in, err := patchInput(raw.Disabled, raw.Username, raw.Email, raw.Icon, raw.Phone)
	if err != nil {
		return err
	}
	u, err := a.Users.Update(c.UserContext(), adminOf(c), id, in)
	if err != nil {
		return err
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, toUserJSON(u))
}

// patchInput decodes the PATCH members: null removes an email or icon;
// disabled, username and phone cannot be null.
func patchInput(disabled, username, email, icon, phone json.RawMessage) (app.AdminUpdateUserInput, error) {
	var in app.AdminUpdateUserInput
	if len(disabled) > 0 {
		var d bool
		if err := json.Unmarshal(disabled, &d); err != nil || isNull(disabled) {
			return in, fmt.Errorf("disabled must be true or false: %w", domain.ErrInvalidRequest)
		}
		in.Disabled = &d
	}
	var err error
	var null bool
	for _, f := range []struct {
		name     string
		raw      json.RawMessage
		dst      **string
		nullable bool
	}{{"username", username, &in.Username, false}, {"email", email, &in.Email, true},
		{"icon", icon, &in.Icon, true}, {"phone", phone, &in.Phone, false}} {
		if *f.dst, null, err = optionalString(f.name, f.raw); err != nil {
			return in, err
		}
		if null && !f.nullable {
			return in, fmt.Errorf("%s must not be null: %w", f.name, domain.ErrInvalidRequest)
		}
		if null && f.name == "email" {
			in.ClearEmail = true
		}
		if null && f.name == "icon" {
			empty := ""
			in.Icon = &empty
		}
	}
	return in, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// optionalString: absent is nil, null is null=true, a non-string is
// invalid_request.
func optionalString(name string, raw json.RawMessage) (*string, bool, error) {
	if len(raw) == 0 {
		return nil, false, nil
	}
	if isNull(raw) {
		return nil, true, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false, fmt.Errorf("%s must be a string: %w", name, domain.ErrInvalidRequest)
	}
	s = strings.TrimSpace(s)
	return &s, false, nil
}

func (a *API) deleteUser(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := a.Users.Delete(c.UserContext(), adminOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) listSessions(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	ss, err := a.Users.Sessions(c.UserContext(), id)
	if err != nil {
		return err
	}
	out := struct {
		Sessions []sessionJSON `json:"sessions"`
	}{Sessions: make([]sessionJSON, len(ss))}
	for i, s := range ss {
		out.Sessions[i] = sessionJSON{ID: s.ID, CreatedAt: rfc3339(s.CreatedAt), LastUsedAt: rfc3339(s.LastUsedAt),
			UserAgent: s.UserAgent, IP: s.IP}
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, out)
}

func (a *API) endSessions(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := a.Users.EndSessions(c.UserContext(), adminOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) listEvents(c *fiber.Ctx) error {
	cursor, limit, err := page(c)
	if err != nil {
		return err
	}
	from, err := since(c)
	if err != nil {
		return err
	}
	f := ports.EventFilter{UserID: strings.Clone(c.Query("user_id")), Type: domain.EventType(strings.Clone(c.Query("type"))), Since: from}
	evs, next, err := a.Logs.Events(c.UserContext(), f, cursor, limit)
	if err != nil {
		return err
	}
	out := struct {
		Events []eventJSON `json:"events"`
		Next   string      `json:"next_cursor,omitempty"`
	}{Events: make([]eventJSON, len(evs)), Next: next}
	for i, e := range evs {
		out.Events[i] = toEventJSON(e)
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, out)
}

func (a *API) listAttempts(c *fiber.Ctx) error {
	cursor, limit, err := page(c)
	if err != nil {
		return err
	}
	from, err := since(c)
	if err != nil {
		return err
	}
	as, next, err := a.Logs.SMSAttempts(c.UserContext(), strings.Clone(c.Query("phone")), from, cursor, limit)
	if err != nil {
		return err
	}
	out := struct {
		Attempts []attemptJSON `json:"attempts"`
		Next     string        `json:"next_cursor,omitempty"`
	}{Attempts: make([]attemptJSON, len(as)), Next: next}
	for i, at := range as {
		out.Attempts[i] = toAttemptJSON(at)
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, out)
}

// introspect takes RFC 7662's form body or a JSON one.
func (a *API) introspect(c *fiber.Ctx) error {
	var token string
	switch mediaType(c) {
	case fiber.MIMEApplicationJSON:
		var in struct {
			Token string `json:"token"`
		}
		if err := httpapi.DecodeJSON(c, &in); err != nil {
			return err
		}
		token = in.Token
	case fiber.MIMEApplicationForm:
		v, err := url.ParseQuery(string(c.Request().Body()))
		if err != nil {
			return fmt.Errorf("malformed form body: %w", domain.ErrInvalidRequest)
		}
		token = v.Get("token")
	default:
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Content-Type must be application/json or application/x-www-form-urlencoded")
	}
	if token == "" {
		return fmt.Errorf("token is required: %w", domain.ErrInvalidRequest)
	}
	res, err := a.Introspect.Handle(c.UserContext(), token)
	if err != nil {
		return err
	}
	return httpapi.ReplyJSON(c, fiber.StatusOK, toIntrospectionJSON(res))
}
