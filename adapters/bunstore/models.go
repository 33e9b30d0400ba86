package bunstore

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Rows mirror the tables of the migrations. nullzero stores a zero value as
// NULL and reads NULL back as the zero value, which is how the domain types
// say "unset".
type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID           string    `bun:"id,pk"`
	Username     string    `bun:"username,notnull"`
	Phone        string    `bun:"phone,notnull"`
	Email        string    `bun:"email,nullzero"`
	EmailKey     string    `bun:"email_key,nullzero"` // domain.EmailKey(Email): the unique identity
	PasswordHash string    `bun:"password_hash,nullzero"`
	Icon         string    `bun:"icon,notnull"`
	Disabled     bool      `bun:"disabled,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	UpdatedAt    time.Time `bun:"updated_at,notnull"`
	LastLoginAt  time.Time `bun:"last_login_at,nullzero"`
}

type refreshTokenRow struct {
	bun.BaseModel `bun:"table:refresh_tokens,alias:rt"`

	ID        string    `bun:"id,pk"`
	UserID    string    `bun:"user_id,notnull"`
	FamilyID  string    `bun:"family_id,notnull"`
	TokenHash []byte    `bun:"token_hash,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
	RotatedAt time.Time `bun:"rotated_at,nullzero"`
	RevokedAt time.Time `bun:"revoked_at,nullzero"`
	UserAgent string    `bun:"user_agent,notnull"`
	IP        string    `bun:"ip,notnull"`
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:ss"`

	ID         string    `bun:"id,pk"`
	UserID     string    `bun:"user_id,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	LastUsedAt time.Time `bun:"last_used_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
	UserAgent  string    `bun:"user_agent,notnull"`
	IP         string    `bun:"ip,notnull"`
	EndedAt    time.Time `bun:"ended_at,nullzero"`
	EndReason  string    `bun:"end_reason,notnull"`
}

func (r sessionRow) domain() domain.Session {
	return domain.Session{ID: r.ID, UserID: r.UserID, CreatedAt: ts(r.CreatedAt), LastUsedAt: ts(r.LastUsedAt),
		ExpiresAt: ts(r.ExpiresAt), UserAgent: r.UserAgent, IP: r.IP, EndedAt: ts(r.EndedAt), EndReason: r.EndReason}
}

// sessionOf is the row a session's first refresh token opens.
func sessionOf(t domain.RefreshToken) sessionRow {
	return sessionRow{ID: t.FamilyID, UserID: t.UserID, CreatedAt: ts(t.CreatedAt), LastUsedAt: ts(t.CreatedAt),
		ExpiresAt: ts(t.ExpiresAt), UserAgent: t.UserAgent, IP: t.IP}
}

type smsAttemptRow struct {
	bun.BaseModel `bun:"table:sms_attempts,alias:sa"`

	ID              string    `bun:"id,pk"`
	MessageID       string    `bun:"message_id,notnull"`
	Provider        string    `bun:"provider,notnull"`
	VendorMessageID string    `bun:"vendor_message_id,notnull"`
	Phone           string    `bun:"phone,notnull"`
	Purpose         string    `bun:"purpose,notnull"`
	Status          string    `bun:"status,notnull"`
	VendorCode      string    `bun:"vendor_code,notnull"`
	LatencyMS       int64     `bun:"latency_ms,notnull"`
	CreatedAt       time.Time `bun:"created_at,notnull"`
	ReceiptAt       time.Time `bun:"receipt_at,nullzero"`
	ReceiptCode     string    `bun:"receipt_code,notnull"`
	Cost            float64   `bun:"cost,notnull"`
}

// ts normalises a time to what both databases keep: UTC, microseconds.
// Values returned to callers then equal what a later read returns.
func ts(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func userToRow(u domain.User) userRow {
	return userRow{ID: u.ID, Username: u.Username, Phone: u.Phone, Email: u.Email, EmailKey: domain.EmailKey(u.Email),
		PasswordHash: u.PasswordHash, Icon: u.Icon, Disabled: u.Disabled,
		CreatedAt: ts(u.CreatedAt), UpdatedAt: ts(u.UpdatedAt), LastLoginAt: ts(u.LastLoginAt)}
}

func (r userRow) domain() domain.User {
	return domain.User{ID: r.ID, Username: r.Username, Phone: r.Phone, Email: r.Email,
		PasswordHash: r.PasswordHash, Icon: r.Icon, Disabled: r.Disabled,
		CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt), LastLoginAt: ts(r.LastLoginAt)}
}

func tokenToRow(t domain.RefreshToken) refreshTokenRow {
	return refreshTokenRow{ID: t.ID, UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.Hash,
		CreatedAt: ts(t.CreatedAt), ExpiresAt: ts(t.ExpiresAt), RotatedAt: ts(t.RotatedAt),
		RevokedAt: ts(t.RevokedAt), UserAgent: t.UserAgent, IP: t.IP}
}

func (r refreshTokenRow) domain() domain.RefreshToken {
	return domain.RefreshToken{ID: r.ID, UserID: r.UserID, FamilyID: r.FamilyID, Hash: r.TokenHash,
		CreatedAt: ts(r.CreatedAt), ExpiresAt: ts(r.ExpiresAt), RotatedAt: ts(r.RotatedAt),
		RevokedAt: ts(r.RevokedAt), UserAgent: r.UserAgent, IP: r.IP}
}

func attemptToRow(a ports.SendAttempt) smsAttemptRow {
	return smsAttemptRow{ID: a.ID, MessageID: a.MessageID, Provider: a.Provider,
		VendorMessageID: a.VendorMessageID, Phone: a.Phone, Purpose: a.Purpose, Status: a.Status,
		VendorCode: a.VendorCode, LatencyMS: a.Latency.Milliseconds(), CreatedAt: ts(a.CreatedAt), Cost: a.Cost}
}
