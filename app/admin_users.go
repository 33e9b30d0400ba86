package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Admin is who makes an operator's change: the key's actor ("admin:NAME")
// and the client it called from. Every event of the change names them.
type Admin struct {
	Actor  string
	Client Client
}

// AdminUsers are the operator's user use cases: search, create, read,
// change, delete, and the user's sessions.
type AdminUsers struct {
	users     ports.Users
	admin     ports.AdminUsers
	sessions  ports.UserSessions
	deletion  ports.AccountDeletion
	ended     ports.EndedSessions
	phones    ports.PhoneParser
	passwords ports.Passwords
	strength  ports.PasswordStrength
	ids       ports.IDs
	clock     ports.Clock
}

// AdminUsersDeps are AdminUsers' ports.
type AdminUsersDeps struct {
	Users    ports.Users
	Admin    ports.AdminUsers
	Sessions ports.UserSessions
	Deletion ports.AccountDeletion
	// Ended refuses the access tokens of sessions an operator ends, at
	// once and on every instance, as the user's own endings do.
	Ended     ports.EndedSessions
	Phones    ports.PhoneParser
	Passwords ports.Passwords
	Strength  ports.PasswordStrength
	IDs       ports.IDs
	Clock     ports.Clock
}

// NewAdminUsers builds the use cases.
func NewAdminUsers(d AdminUsersDeps) *AdminUsers {
	return &AdminUsers{users: d.Users, admin: d.Admin, sessions: d.Sessions, deletion: d.Deletion, ended: d.Ended, phones: d.Phones,
		passwords: d.Passwords, strength: d.Strength, ids: d.IDs, clock: d.Clock}
}

// Page limits of every admin listing.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// pageLimit applies the default and the cap.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultPageLimit
	case n > MaxPageLimit:
		return MaxPageLimit
	}
	return n
}

// event makes an event of this change, naming the admin.
func (a Admin) event(ids ports.IDs, clock ports.Clock, typ domain.EventType, userID string, details map[string]any) domain.Event {
	return domain.Event{ID: ids.NewID(), Type: typ, UserID: userID, At: clock.Now(), IP: a.Client.IP,
		UserAgent: a.Client.UserAgent, Actor: a.Actor, Details: details}
}

// Search lists users matching query: a phone in any accepted form matches
// exactly; anything else is a username or email prefix.
func (uc *AdminUsers) Search(ctx context.Context, query, cursor string, limit int) ([]domain.User, string, error) {
	q := ports.UserQuery{Prefix: query}
	if query != "" {
		if !domain.IsPlainText(query) || len(query) > 254 {
			return nil, "", fmt.Errorf("query must be plain text of at most 254 bytes: %w", domain.ErrInvalidRequest)
		}
		if p, err := uc.phones.Parse(query); err == nil {
			q.Phone = p.E164
		}
	}
	return uc.admin.SearchUsers(ctx, q, cursor, pageLimit(limit))
}

// Get returns one user.
func (uc *AdminUsers) Get(ctx context.Context, id string) (domain.User, error) {
	return uc.users.ByID(ctx, id)
}

// AdminCreateUserInput is POST /admin/v1/users.
type AdminCreateUserInput struct {
	Phone    string
	Username string // empty: generated
	Email    string
	Password string // empty: none (SMS login only)
}

// Create makes a user, e.g. when migrating from another system.
func (uc *AdminUsers) Create(ctx context.Context, by Admin, in AdminCreateUserInput) (domain.User, error) {
	phone, err := uc.phones.Parse(in.Phone)
	if err != nil {
		return domain.User{}, err
	}
	now := uc.clock.Now()
	u := domain.User{ID: uc.ids.NewID(), Username: in.Username, Phone: phone.E164, CreatedAt: now, UpdatedAt: now}
	if in.Username != "" {
		if err := uc.checkUsername(in.Username); err != nil {
			return domain.User{}, err
		}
	}
	if in.Email != "" {
		if u.Email, err = domain.NormalizeEmail(in.Email); err != nil {
			return domain.User{}, err
		}
	}
	if in.Password != "" {
		if err := passwordRules(uc.strength, in.Password, u); err != nil {
			return domain.User{}, err
		}
		if u.PasswordHash, err = uc.passwords.Hash(ctx, in.Password); err != nil {
			return domain.User{}, fmt.Errorf("hash password: %w", err)
		}
	}
	for try := 0; ; try++ {
		if in.Username == "" {
			u.Username = domain.GenerateUsername()
		}
		ev := by.event(uc.ids, uc.clock, domain.EventUserCreated, u.ID, map[string]any{"method": "admin"})
		err = uc.admin.CreateUser(ctx, u, []domain.Event{ev})
		// A generated name that collides is retried; a chosen one is the caller's.
		if !errors.Is(err, domain.ErrUsernameTaken) || in.Username != "" || try == 2 {
			break
		}
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("create user: %w", err)
	}
	return uc.users.ByID(ctx, u.ID)
}

// checkUsername applies the username rules, and refuses names that read as
// a phone number (password login would take them for one).
func (uc *AdminUsers) checkUsername(name string) error {
	if err := domain.ValidateUsername(name); err != nil {
		return err
	}
	if _, err := uc.phones.Parse(name); err == nil {
		return domain.ErrInvalidUsername
	}
	return nil
}
