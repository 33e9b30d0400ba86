package domain

// Purpose scopes a one-time code: a code sent for one purpose never verifies
// for another.
type Purpose string

// The purposes a code can be requested for.
const (
	PurposeLogin           Purpose = "login"
	PurposeResetPassword   Purpose = "reset_password"
	PurposeInitialPassword Purpose = "initial_password" // SMS carrying a generated password, not a code
)

// ParsePurpose accepts the purposes a client may request; empty means login.
func ParsePurpose(s string) (Purpose, error) {
	switch Purpose(s) {
	case "", PurposeLogin:
		return PurposeLogin, nil
	case PurposeResetPassword:
		return PurposeResetPassword, nil
	}
	return "", ErrInvalidRequest
}
