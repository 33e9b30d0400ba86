package portstest

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Store is an in-memory ports.Users and ports.RefreshTokens. Err, when set,
// is returned by every call (to simulate an unreachable database).
type Store struct {
	mu     sync.Mutex
	users  map[string]domain.User // by id
	tokens []domain.RefreshToken
	// sessions by id, opened with their first token (StartPhoneLogin,
	// StartSession) and ended with their tokens.
	sessions map[string]domain.Session
	seq      int
	Err      error
}

var (
	_ ports.Users         = (*Store)(nil)
	_ ports.RefreshTokens = (*Store)(nil)
)

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{users: map[string]domain.User{}, sessions: map[string]domain.Session{}}
}

func (s *Store) find(match func(domain.User) bool) (domain.User, error) {
	for _, u := range s.users {
		if match(u) {
			return u, nil
		}
	}
	return domain.User{}, domain.ErrNotFound
}

func (s *Store) conflict(u domain.User) error {
	for _, o := range s.users {
		if o.ID == u.ID {
			continue
		}
		if strings.EqualFold(o.Username, u.Username) {
			return domain.ErrUsernameTaken
		}
		if u.Email != "" && domain.EmailKey(o.Email) == domain.EmailKey(u.Email) {
			return domain.ErrEmailTaken
		}
		if o.Phone == u.Phone {
			return domain.ErrPhoneTaken
		}
	}
	return nil
}

// FindOrCreateByPhone implements ports.Users.
func (s *Store) FindOrCreateByPhone(_ context.Context, c domain.User) (domain.User, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.User{}, false, s.Err
	}
	if u, err := s.find(func(u domain.User) bool { return u.Phone == c.Phone }); err == nil {
		return u, false, nil
	}
	if err := s.conflict(c); err != nil {
		return domain.User{}, false, err
	}
	if c.ID == "" {
		s.seq++
		c.ID = "user-" + strconv.Itoa(s.seq)
	}
	c.UpdatedAt = c.CreatedAt
	s.users[c.ID] = c
	return c, true, nil
}

func (s *Store) by(match func(domain.User) bool) (domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.User{}, s.Err
	}
	return s.find(match)
}

// ByID implements ports.Users.
func (s *Store) ByID(_ context.Context, id string) (domain.User, error) {
	return s.by(func(u domain.User) bool { return u.ID == id })
}

// ByPhone implements ports.Users.
func (s *Store) ByPhone(_ context.Context, e164 string) (domain.User, error) {
	return s.by(func(u domain.User) bool { return u.Phone == e164 })
}

// ByUsername implements ports.Users.
func (s *Store) ByUsername(_ context.Context, name string) (domain.User, error) {
	return s.by(func(u domain.User) bool { return strings.EqualFold(u.Username, name) })
}

// ByEmail implements ports.Users.
func (s *Store) ByEmail(_ context.Context, email string) (domain.User, error) {
	return s.by(func(u domain.User) bool { return u.Email != "" && domain.EmailKey(u.Email) == domain.EmailKey(email) })
}

func (s *Store) update(id string, now time.Time, f func(*domain.User)) (domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.User{}, s.Err
	}
	u, ok := s.users[id]
	if !ok {
		return domain.User{}, domain.ErrNotFound
	}
	f(&u)
	if err := s.conflict(u); err != nil {
		return domain.User{}, err
	}
	u.UpdatedAt = now
	s.users[id] = u
	return u, nil
}

// UpdateProfile implements ports.Users.
func (s *Store) UpdateProfile(_ context.Context, id string, p domain.ProfilePatch, now time.Time) (domain.User, error) {
	return s.update(id, now, func(u *domain.User) {
		if p.Username != nil {
			u.Username = *p.Username
		}
		if p.Email != nil {
			u.Email = *p.Email
		}
		if p.ClearEmail {
			u.Email = ""
		}
		if p.Icon != nil {
			u.Icon = *p.Icon
		}
	})
}

// SetPasswordHash implements ports.Users.
func (s *Store) SetPasswordHash(_ context.Context, id, hash string, now time.Time) error {
	_, err := s.update(id, now, func(u *domain.User) { u.PasswordHash = hash })
	return err
}

// SetDisabled implements ports.Users.
func (s *Store) SetDisabled(_ context.Context, id string, disabled bool, now time.Time) error {
	_, err := s.update(id, now, func(u *domain.User) { u.Disabled = disabled })
	return err
}

// TouchLogin implements ports.Users.
func (s *Store) TouchLogin(_ context.Context, id string, at time.Time) error {
	_, err := s.update(id, at, func(u *domain.User) { u.LastLoginAt = at })
	return err
}

// Create implements ports.RefreshTokens.
func (s *Store) Create(_ context.Context, t domain.RefreshToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.tokens = append(s.tokens, t)
	return nil
}

func (s *Store) tokenIndex(hash []byte) int {
	for i, t := range s.tokens {
		if bytes.Equal(t.Hash, hash) {
			return i
		}
	}
	return -1
}

// Rotate implements ports.RefreshTokens.
func (s *Store) Rotate(_ context.Context, oldHash []byte, next domain.RefreshToken, now time.Time) (domain.RefreshToken, error) {
	return s.rotate(oldHash, next, now, 0)
}

// rotate is Rotate that answers a retry within reuse again (ports.Logins).
func (s *Store) rotate(oldHash []byte, next domain.RefreshToken, now time.Time, reuse time.Duration) (domain.RefreshToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.RefreshToken{}, s.Err
	}
	i := s.tokenIndex(oldHash)
	if i < 0 {
		return domain.RefreshToken{}, domain.ErrInvalidToken
	}
	old := s.tokens[i]
	if s.isRetry(old, next.Hash, now, reuse) {
		return old, nil
	}
	if !old.RotatedAt.IsZero() || !old.RevokedAt.IsZero() {
		s.revoke(func(t domain.RefreshToken) bool { return t.FamilyID == old.FamilyID }, domain.EndRefreshReuse, now)
		return old, domain.ErrInvalidToken
	}
	if !now.Before(old.ExpiresAt) {
		return domain.RefreshToken{}, domain.ErrInvalidToken
	}
	s.tokens[i].RotatedAt = now
	old.RotatedAt = now
	next.FamilyID, next.UserID = old.FamilyID, old.UserID
	s.tokens = append(s.tokens, next)
	if ss, ok := s.sessions[old.FamilyID]; ok {
		ss.LastUsedAt, ss.ExpiresAt = now, next.ExpiresAt
		s.sessions[old.FamilyID] = ss
	}
	return old, nil
}

// Get implements ports.RefreshTokens.
func (s *Store) Get(_ context.Context, hash []byte) (domain.RefreshToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.RefreshToken{}, s.Err
	}
	if i := s.tokenIndex(hash); i >= 0 {
		return s.tokens[i], nil
	}
	return domain.RefreshToken{}, domain.ErrNotFound
}

// revoke revokes the matching live tokens and ends their sessions,
// returning the ids of the sessions it ended.
func (s *Store) revoke(match func(domain.RefreshToken) bool, reason string, now time.Time) []string {
	var ended []string
	for i, t := range s.tokens {
		if match(t) && t.RevokedAt.IsZero() {
			s.tokens[i].RevokedAt = now
		}
	}
	for id, ss := range s.sessions {
		if ss.EndedAt.IsZero() && match(domain.RefreshToken{UserID: ss.UserID, FamilyID: id}) {
			ss.EndedAt, ss.EndReason = now, reason
			s.sessions[id] = ss
			ended = append(ended, id)
		}
	}
	return ended
}

// RevokeFamily implements ports.RefreshTokens.
func (s *Store) RevokeFamily(_ context.Context, family string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.revoke(func(t domain.RefreshToken) bool { return t.FamilyID == family }, domain.EndLogout, now)
	return nil
}

// RevokeUser implements ports.RefreshTokens.
func (s *Store) RevokeUser(_ context.Context, userID, keep string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.revoke(func(t domain.RefreshToken) bool { return t.UserID == userID && (keep == "" || t.FamilyID != keep) }, domain.EndRevoked, now)
	return nil
}

// Users returns a copy of every stored user.
func (s *Store) Users() []domain.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]domain.User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	return out
}

var _ ports.Logins = (*Store)(nil)

// StartPhoneLogin implements ports.Logins.
func (s *Store) StartPhoneLogin(ctx context.Context, c domain.User, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	c.LastLoginAt = now
	u, created, err := s.FindOrCreateByPhone(ctx, c)
	if err != nil {
		return domain.User{}, false, err
	}
	if !created {
		if err := s.TouchLogin(ctx, u.ID, now); err != nil {
			return domain.User{}, false, err
		}
		u.LastLoginAt = now
	}
	if u.Disabled {
		return u, created, nil
	}
	first.UserID = u.ID
	return u, created, s.StartSession(ctx, first)
}

// StartSession implements ports.Logins.
func (s *Store) StartSession(_ context.Context, first domain.RefreshToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.tokens = append(s.tokens, first)
	s.sessions[first.FamilyID] = domain.Session{ID: first.FamilyID, UserID: first.UserID, CreatedAt: first.CreatedAt,
		LastUsedAt: first.CreatedAt, ExpiresAt: first.ExpiresAt, UserAgent: first.UserAgent, IP: first.IP}
	return nil
}

// Refresh implements ports.Logins.
func (s *Store) Refresh(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time, reuse time.Duration) (domain.RefreshToken, domain.User, error) {
	old, err := s.rotate(oldHash, next, now, reuse)
	if err != nil {
		return old, domain.User{}, err
	}
	u, err := s.ByID(ctx, old.UserID)
	return old, u, err
}

// ReplacePassword implements ports.Logins: both writes under one lock.
func (s *Store) ReplacePassword(_ context.Context, userID, hash, keep string, now time.Time) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	u, ok := s.users[userID]
	if !ok {
		return nil, domain.ErrNotFound
	}
	u.PasswordHash, u.UpdatedAt = hash, now
	s.users[userID] = u
	return s.revoke(func(t domain.RefreshToken) bool {
		return t.UserID == userID && (keep == "" || t.FamilyID != keep)
	}, domain.EndPasswordChanged, now), nil
}

var _ ports.Sessions = (*Store)(nil)

// ListSessions implements ports.Sessions.
func (s *Store) ListSessions(_ context.Context, userID string, now time.Time) ([]domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	var out []domain.Session
	for _, ss := range s.sessions {
		if ss.UserID == userID && ss.EndedAt.IsZero() && now.Before(ss.ExpiresAt) {
			out = append(out, ss)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out, nil
}

// EndSession implements ports.Sessions.
func (s *Store) EndSession(_ context.Context, userID, sessionID, reason string, now time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	ss, ok := s.sessions[sessionID]
	if !ok || ss.UserID != userID || !ss.EndedAt.IsZero() || !now.Before(ss.ExpiresAt) {
		return false, nil
	}
	s.revoke(func(t domain.RefreshToken) bool { return t.FamilyID == sessionID }, reason, now)
	return true, nil
}

// EndSessions implements ports.Sessions.
func (s *Store) EndSessions(_ context.Context, userID, keep, reason string, now time.Time) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	return s.revoke(func(t domain.RefreshToken) bool {
		return t.UserID == userID && (keep == "" || t.FamilyID != keep)
	}, reason, now), nil
}

// isRetry mirrors ports.Logins.Refresh's retry rule. The caller holds mu.
func (s *Store) isRetry(old domain.RefreshToken, nextHash []byte, now time.Time, reuse time.Duration) bool {
	if reuse <= 0 || old.RotatedAt.IsZero() || !old.RevokedAt.IsZero() || !now.Before(old.RotatedAt.Add(reuse)) {
		return false
	}
	live := false
	for _, t := range s.tokens {
		if t.FamilyID != old.FamilyID {
			continue
		}
		if !t.RevokedAt.IsZero() {
			return false
		}
		if bytes.Equal(t.Hash, nextHash) && t.RotatedAt.IsZero() && now.Before(t.ExpiresAt) {
			live = true
		}
	}
	return live
}
