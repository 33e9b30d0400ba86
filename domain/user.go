package domain

import (
	"crypto/rand"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// User is an account. PasswordHash is empty for accounts that have never set
// a password (SMS-registered users): password login refuses them.
type User struct {
	ID           string
	Username     string
	Phone        string // E.164
	Email        string // empty when unset
	PasswordHash string
	Icon         string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  time.Time
}

// HasPassword reports whether password login is possible for u.
func (u User) HasPassword() bool { return u.PasswordHash != "" }

// ProfilePatch is a partial profile update; nil fields stay unchanged.
// ClearEmail removes the email.
type ProfilePatch struct {
	Username   *string
	Email      *string
	ClearEmail bool
	Icon       *string
}

// ValidateUsername enforces 3 to 32 of A-Z a-z 0-9 _ . - and not all digits,
// so a username can never be mistaken for a phone number or an email.
func ValidateUsername(s string) error {
	if len(s) < 3 || len(s) > 32 {
		return ErrInvalidUsername
	}
	digits := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '.', r == '-':
			digits = false
		default:
			return ErrInvalidUsername
		}
	}
	if digits {
		return ErrInvalidUsername
	}
	return nil
}

// NormalizeEmail validates a bare address (no display name) of at most 254
// bytes and returns it trimmed.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 || !IsPlainText(s) {
		return "", ErrInvalidEmail
	}
	// Format characters (bidi overrides, zero-width joiners) make two
	// addresses look alike; an address literal (bob@[127.0.0.1]) names a
	// host, not a mail domain anyone verifies.
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) || strings.ContainsAny(s, "[]") {
		return "", ErrInvalidEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// usernameAlphabet leaves out look-alike characters; generated names start
// with a letter prefix so they are never all digits and never contain '@'.
const usernameAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// GenerateUsername returns a random name like "user_k3m9x2pq7a" for users
// registered by SMS: it looks neither like a phone number nor an email.
func GenerateUsername() string {
	return "user_" + randomString(usernameAlphabet, 10)
}

// GenerateInitialPassword returns a 14-character random password (about 80
// bits) for the opt-in "text an initial password" registration.
func GenerateInitialPassword() string {
	return randomString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789", 14)
}

// randomString draws n characters uniformly from alphabet with crypto/rand.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	limit := 256 - 256%len(alphabet) // reject the biased tail
	var b [1]byte
	for i := 0; i < n; {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
		if int(b[0]) < limit {
			out[i] = alphabet[int(b[0])%len(alphabet)]
			i++
		}
	}
	return string(out)
}

// IsPlainText reports whether s is valid UTF-8 without control characters:
// what may reach storage from a client (SQLite refuses NUL, Postgres
// invalid UTF-8).
func IsPlainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}
