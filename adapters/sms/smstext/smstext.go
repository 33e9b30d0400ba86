// Package smstext renders the free text that providers without vendor
// templates send (twilio, http): a text per purpose, {code} and {minutes}
// filled in.
package smstext

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Texts maps a purpose to its text; purposes left out use the English
// defaults.
type Texts map[domain.Purpose]string

// defaults are the English texts.
func defaults() Texts {
	return Texts{
		domain.PurposeLogin:           "Your login code is {code}. It expires in {minutes} minutes.",
		domain.PurposeResetPassword:   "Your password reset code is {code}. It expires in {minutes} minutes.",
		domain.PurposeInitialPassword: "Your password is {code}. Change it after you log in.",
	}
}

// Render fills the purpose's text with msg's code and lifetime.
func Render(t Texts, msg ports.SMSMessage) string {
	text, ok := t[msg.Purpose]
	if !ok {
		text, ok = defaults()[msg.Purpose]
	}
	if !ok {
		text = "Your verification code is {code}."
	}
	return strings.NewReplacer("{code}", msg.Code, "{minutes}", Minutes(msg.TTL)).Replace(text)
}

// Minutes rounds up so the text never promises less time than the code has.
func Minutes(ttl time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(ttl.Minutes()))))
}
