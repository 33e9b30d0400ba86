package ports

import "github.com/authd/authd/domain"

// PhoneParser turns what a user typed into a valid phone number: E.164 or a
// national number in the default region, tolerating spaces, dashes and
// parentheses. Anything that is not a valid number is domain.ErrInvalidPhone.
type PhoneParser interface {
	Parse(raw string) (domain.Phone, error)
}
