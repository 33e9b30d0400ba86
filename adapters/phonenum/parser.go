package phonenum

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.PhoneParser = (*Parser)(nil)

// maxInputRunes caps what reaches the library: its parser runs several
// regular expressions over the input, and no real number with separators
// needs more than this.
const maxInputRunes = 32

// Config sets how national numbers are read.
type Config struct {
	// DefaultRegion is AUTHD_SMS_DEFAULT_REGION: the ISO region a number
	// without a country code belongs to, e.g. "CN".
	DefaultRegion string
	// BlockedTypes is AUTHD_SMS_BLOCKED_NUMBER_TYPES as ParseNumberTypes
	// reads it: number types refused before anything is counted or sent.
	// Nil means DefaultBlockedTypes.
	BlockedTypes []string
}

// Validate checks that the default region is one the metadata knows.
func (c Config) Validate() error {
	if !knownRegion(strings.ToUpper(strings.TrimSpace(c.DefaultRegion))) {
		return &domain.ConfigError{Key: "AUTHD_SMS_DEFAULT_REGION", Msg: "unknown ISO 3166-1 region " + quote(c.DefaultRegion)}
	}
	for _, name := range c.BlockedTypes {
		if _, err := ParseNumberTypes(name); err != nil {
			return err
		}
	}
	return nil
}

// Parser implements ports.PhoneParser.
type Parser struct {
	region  string
	blocked map[phonenumbers.PhoneNumberType]bool
}

// New validates cfg and returns a parser.
func New(cfg Config) (*Parser, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Parser{region: strings.ToUpper(strings.TrimSpace(cfg.DefaultRegion)), blocked: blockedSet(cfg.BlockedTypes)}, nil
}

// Parse reads an E.164, international ("00" plus the country code, per the
// default region's dialing rules) or national number, with spaces, dashes,
// dots and parentheses tolerated. Letters, extensions, numbers the metadata
// calls invalid, and the blocked number types (by default those that
// cannot receive a text or that pay their holder: fixed lines, premium
// rate, toll free, VoIP, ...) are domain.ErrInvalidPhone.
func (p *Parser) Parse(raw string) (domain.Phone, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 4*maxInputRunes || utf8.RuneCountInString(raw) > maxInputRunes || !plausible(raw) {
		return domain.Phone{}, domain.ErrInvalidPhone
	}
	num, err := phonenumbers.Parse(raw, p.region)
	if err != nil || !phonenumbers.IsValidNumber(num) || num.GetExtension() != "" || p.blocked[phonenumbers.GetNumberType(num)] {
		return domain.Phone{}, domain.ErrInvalidPhone
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if !knownRegion(region) {
		// Non-geographic numbers (+800, +882, ...) belong to no region
		// that a region policy could allow.
		return domain.Phone{}, domain.ErrInvalidPhone
	}
	return domain.Phone{E164: phonenumbers.Format(num, phonenumbers.E164), Region: region}, nil
}

// plausible allows digits (Unicode decimal digits too: the library folds
// full-width ones), one leading '+', and separators. Letters are refused
// here because the library would otherwise read them as vanity digits
// ("1-800-FLOWERS") or extensions.
func plausible(s string) bool {
	for i, r := range s {
		switch {
		case unicode.IsDigit(r), r == ' ', r == '-', r == '.', r == '(', r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return true
}
