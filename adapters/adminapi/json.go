package adminapi

import (
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// userJSON is the admin user object: the public user object plus disabled,
// updated_at and last_login_at.
type userJSON struct {
	ID          string  `json:"id"`
	Username    string  `json:"username"`
	Phone       string  `json:"phone"`
	Email       *string `json:"email"`
	Icon        *string `json:"icon"`
	HasPassword bool    `json:"has_password"`
	CreatedAt   string  `json:"created_at"`
	Disabled    bool    `json:"disabled"`
	UpdatedAt   string  `json:"updated_at"`
	LastLoginAt *string `json:"last_login_at"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := rfc3339(t)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toUserJSON(u domain.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Phone: u.Phone, Email: optString(u.Email), Icon: optString(u.Icon),
		HasPassword: u.HasPassword(), CreatedAt: rfc3339(u.CreatedAt), Disabled: u.Disabled,
		UpdatedAt: rfc3339(u.UpdatedAt), LastLoginAt: optTime(u.LastLoginAt)}
}

type eventJSON struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	UserID    *string        `json:"user_id"`
	At        string         `json:"at"`
	IP        string         `json:"ip"`
	UserAgent string         `json:"user_agent"`
	Actor     *string        `json:"actor"`
	Details   map[string]any `json:"details"`
}

func toEventJSON(e domain.Event) eventJSON {
	d := e.Details
	if d == nil {
		d = map[string]any{}
	}
	return eventJSON{ID: e.ID, Type: string(e.Type), UserID: optString(e.UserID), At: rfc3339(e.At), IP: e.IP,
		UserAgent: e.UserAgent, Actor: optString(e.Actor), Details: d}
}

type sessionJSON struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at"`
	LastUsedAt string `json:"last_used_at"`
	UserAgent  string `json:"user_agent"`
	IP         string `json:"ip"`
}

type receiptJSON struct {
	At   string `json:"at"`
	Code string `json:"code"`
}

// attemptJSON is one send attempt. cost is null: the send log keeps no
// price (the spend-cap work owns prices).
type attemptJSON struct {
	ID              string       `json:"id"`
	MessageID       string       `json:"message_id"`
	Phone           string       `json:"phone"`
	Purpose         string       `json:"purpose"`
	Provider        string       `json:"provider"`
	Status          string       `json:"status"`
	VendorCode      string       `json:"vendor_code"`
	VendorMessageID string       `json:"vendor_message_id"`
	LatencyMS       int64        `json:"latency_ms"`
	Cost            *float64     `json:"cost"`
	CreatedAt       string       `json:"created_at"`
	Receipt         *receiptJSON `json:"receipt"`
}

func toAttemptJSON(a ports.SMSAttemptRecord) attemptJSON {
	out := attemptJSON{ID: a.ID, MessageID: a.MessageID, Phone: a.Phone, Purpose: a.Purpose, Provider: a.Provider,
		Status: a.Status, VendorCode: a.VendorCode, VendorMessageID: a.VendorMessageID,
		LatencyMS: a.Latency.Milliseconds(), CreatedAt: rfc3339(a.CreatedAt)}
	if !a.ReceiptAt.IsZero() {
		out.Receipt = &receiptJSON{At: rfc3339(a.ReceiptAt), Code: a.ReceiptCode}
	}
	return out
}

// introspectionJSON is RFC 7662's answer; times are NumericDate seconds.
type introspectionJSON struct {
	Active    bool   `json:"active"`
	TokenType string `json:"token_type,omitempty"`
	Sub       string `json:"sub,omitempty"`
	Sid       string `json:"sid,omitempty"`
	Iat       int64  `json:"iat,omitempty"`
	Exp       int64  `json:"exp,omitempty"`
	Iss       string `json:"iss,omitempty"`
	Aud       string `json:"aud,omitempty"`
}

func toIntrospectionJSON(in app.Introspection) introspectionJSON {
	if !in.Active {
		return introspectionJSON{}
	}
	return introspectionJSON{Active: true, TokenType: in.TokenType, Sub: in.Subject, Sid: in.SessionID,
		Iat: in.IssuedAt.Unix(), Exp: in.ExpiresAt.Unix(), Iss: in.Issuer, Aud: in.Audience}
}
