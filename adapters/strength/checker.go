package strength

import (
	"strings"

	"github.com/ccojocar/zxcvbn-go/match"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.PasswordStrength = (*Checker)(nil)

// Config sets the bar.
type Config struct {
	// MinScore is AUTHD_PASSWORD_MIN_SCORE: the lowest zxcvbn score (1 to
	// 4) accepted; 0 means 3, "safely unguessable" against online attacks
	// with throttling and offline ones against a slow hash.
	MinScore int
}

// Validate checks the score range.
func (c Config) Validate() error {
	if c.MinScore < 0 || c.MinScore > 4 {
		return &domain.ConfigError{Key: "AUTHD_PASSWORD_MIN_SCORE", Msg: "must be between 1 and 4"}
	}
	return nil
}

// Checker implements ports.PasswordStrength.
type Checker struct {
	minScore int
	deleet   []*strings.Replacer
}

// New validates cfg and returns a checker.
func New(cfg Config) (*Checker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MinScore == 0 {
		cfg.MinScore = 3
	}
	return &Checker{minScore: cfg.MinScore, deleet: deleeters()}, nil
}

// Check returns *domain.WeakPasswordError when plain scores below the bar.
// The cost is bounded whatever the length (see maxScored).
func (c *Checker) Check(plain string, userInputs []string) error {
	result := c.weakest(plain, dictionary(userInputs))
	if result.Score >= c.minScore {
		return nil
	}
	return &domain.WeakPasswordError{Reason: reason(result.MatchSequence)}
}

// dictionary turns the user's identifiers into zxcvbn user inputs, adding
// the parts people derive passwords from: an email's local part and a
// phone's digits.
func dictionary(inputs []string) []string {
	words := make([]string, 0, 2*len(inputs))
	for _, in := range inputs {
		in = strings.TrimSpace(in)
		if in == "" {
			continue
		}
		words = append(words, in)
		if local, _, ok := strings.Cut(in, "@"); ok && local != "" {
			words = append(words, local)
		}
		if digits := strings.TrimPrefix(in, "+"); digits != in {
			words = append(words, digits)
			// The national part of a Chinese mobile is its last 11 digits.
			if len(digits) > 11 {
				words = append(words, digits[len(digits)-11:])
			}
		}
	}
	return words
}

// reason explains the weakness by the longest pattern zxcvbn found; zxcvbn-go
// has no feedback of its own.
func reason(seq []match.Match) string {
	var longest *match.Match
	for i := range seq {
		m := &seq[i]
		if m.Pattern == "bruteforce" {
			continue
		}
		if longest == nil || m.J-m.I > longest.J-longest.I {
			longest = m
		}
	}
	if longest == nil {
		return "too easy to guess"
	}
	switch {
	case strings.HasPrefix(longest.DictionaryName, "user_inputs"):
		return "too close to your username, email or phone number"
	case strings.HasPrefix(longest.DictionaryName, "Passwords"):
		return "a commonly used password"
	case longest.Pattern == "dictionary":
		return "common words and names are easy to guess"
	case longest.Pattern == "spatial":
		return "keyboard patterns like qwerty are easy to guess"
	case longest.Pattern == "repeat":
		return "repeated characters are easy to guess"
	case longest.Pattern == "sequence":
		return "sequences like abc or 1234 are easy to guess"
	case longest.Pattern == "date":
		return "dates are easy to guess"
	}
	return "too easy to guess"
}
