package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// AdminUpdateUserInput is PATCH /admin/v1/users/{id}; nil leaves a field.
type AdminUpdateUserInput struct {
	Disabled   *bool
	Username   *string
	Email      *string
	ClearEmail bool
	Icon       *string // "" removes the icon
	Phone      *string
}

// adminPatch is the validated form of the input.
type adminPatch struct {
	in    AdminUpdateUserInput
	email string
	phone string
}

func (uc *AdminUsers) validate(in AdminUpdateUserInput) (adminPatch, error) {
	p := adminPatch{in: in}
	if in.Username != nil {
		if err := uc.checkUsername(*in.Username); err != nil {
			return p, err
		}
	}
	if in.Email != nil && !in.ClearEmail {
		e, err := domain.NormalizeEmail(*in.Email)
		if err != nil {
			return p, err
		}
		p.email = e
	}
	if in.Icon != nil && !validIcon(*in.Icon) {
		return p, fmt.Errorf("icon must be an http(s) URL of at most 2048 bytes: %w", domain.ErrInvalidRequest)
	}
	if in.Phone != nil {
		ph, err := uc.phones.Parse(*in.Phone)
		if err != nil {
			return p, err
		}
		p.phone = ph.E164
	}
	return p, nil
}

// Update changes a user. Disabling ends every session; so does a phone
// change (an operator moves a phone when its owner lost the old one, and
// whoever holds it must not stay signed in). Each change is an event.
func (uc *AdminUsers) Update(ctx context.Context, by Admin, id string, in AdminUpdateUserInput) (domain.User, error) {
	p, err := uc.validate(in)
	if err != nil {
		return domain.User{}, err
	}
	var live []string
	if p.in.Phone != nil || p.in.Disabled != nil && *p.in.Disabled {
		if live, err = uc.liveSessions(ctx, id); err != nil {
			return domain.User{}, err
		}
	}
	endsSessions := false
	u, err := uc.admin.ChangeUser(ctx, id, func(u domain.User) (ports.UserChange, error) {
		c := uc.change(by, u, p)
		endsSessions = c.EndSessions
		return c, nil
	})
	if err != nil {
		return domain.User{}, fmt.Errorf("update user: %w", err)
	}
	if endsSessions {
		if err := uc.markEnded(ctx, live); err != nil {
			return domain.User{}, err
		}
	}
	return u, nil
}

// liveSessions are the ids of the user's sessions before an operator ends
// them, so that their access tokens can be refused once the end is stored.
func (uc *AdminUsers) liveSessions(ctx context.Context, id string) ([]string, error) {
	if uc.ended == nil {
		return nil, nil
	}
	ss, err := uc.sessions.ListUserSessions(ctx, id, uc.clock.Now())
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	ids := make([]string, len(ss))
	for i, s := range ss {
		ids[i] = s.ID
	}
	return ids, nil
}

// markEnded makes authd's own endpoints refuse the sessions' access tokens.
func (uc *AdminUsers) markEnded(ctx context.Context, ids []string) error {
	if uc.ended == nil {
		return nil
	}
	return markEnded(ctx, uc.ended, ids, uc.clock.Now())
}

// change applies p to u and names what changed.
func (uc *AdminUsers) change(by Admin, u domain.User, p adminPatch) ports.UserChange {
	c := ports.UserChange{User: u}
	var fields []string
	set := func(field string, dst *string, v string) {
		if *dst != v {
			*dst = v
			fields = append(fields, field)
		}
	}
	if p.in.Username != nil {
		set("username", &c.User.Username, *p.in.Username)
	}
	if p.in.ClearEmail {
		set("email", &c.User.Email, "")
	} else if p.in.Email != nil {
		set("email", &c.User.Email, p.email)
	}
	if p.in.Icon != nil {
		set("icon", &c.User.Icon, *p.in.Icon)
	}
	ev := func(typ domain.EventType, details map[string]any) {
		c.Events = append(c.Events, by.event(uc.ids, uc.clock, typ, u.ID, details))
	}
	if len(fields) > 0 {
		ev(domain.EventUserUpdated, map[string]any{"fields": fields})
	}
	if p.in.Phone != nil && p.phone != u.Phone {
		c.User.Phone = p.phone
		c.EndSessions = true
		ev(domain.EventPhoneChanged, nil)
		ev(domain.EventSessionEnded, map[string]any{"session_id": "all", "reason": "phone_changed"})
	}
	if p.in.Disabled != nil && *p.in.Disabled != u.Disabled {
		c.User.Disabled = *p.in.Disabled
		if c.User.Disabled {
			ev(domain.EventUserDisabled, nil)
			if !c.EndSessions {
				c.EndSessions = true
				ev(domain.EventSessionEnded, map[string]any{"session_id": "all", "reason": "disabled"})
			}
		} else {
			ev(domain.EventUserEnabled, nil)
		}
	}
	if len(c.Events) > 0 {
		c.User.UpdatedAt = uc.clock.Now()
	}
	return c
}

// Delete deletes a user as DELETE /v1/me does.
func (uc *AdminUsers) Delete(ctx context.Context, by Admin, id string) error {
	live, err := uc.liveSessions(ctx, id)
	if err != nil {
		return err
	}
	ev := by.event(uc.ids, uc.clock, domain.EventUserDeleted, id, nil)
	if err := uc.deletion.DeleteAccount(ctx, id, ev, uc.clock.Now()); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return uc.markEnded(ctx, live)
}

// Sessions lists the user's active sessions (404 for an unknown user).
func (uc *AdminUsers) Sessions(ctx context.Context, id string) ([]domain.UserSession, error) {
	if _, err := uc.users.ByID(ctx, id); err != nil {
		return nil, err
	}
	return uc.sessions.ListUserSessions(ctx, id, uc.clock.Now())
}

// EndSessions ends every session of the user.
func (uc *AdminUsers) EndSessions(ctx context.Context, by Admin, id string) error {
	if _, err := uc.users.ByID(ctx, id); err != nil {
		return err
	}
	live, err := uc.liveSessions(ctx, id)
	if err != nil {
		return err
	}
	ev := by.event(uc.ids, uc.clock, domain.EventSessionEnded, id, map[string]any{"session_id": "all", "reason": "admin"})
	if err := uc.sessions.EndUserSessions(ctx, id, ev, uc.clock.Now()); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return uc.markEnded(ctx, live)
}
