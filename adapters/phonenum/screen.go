package phonenum

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/authd/authd/domain"
)

// numberTypes names libphonenumber's number types as AUTHD_SMS_BLOCKED_NUMBER_TYPES
// spells them.
var numberTypes = map[string]phonenumbers.PhoneNumberType{
	"fixed_line":           phonenumbers.FIXED_LINE,
	"mobile":               phonenumbers.MOBILE,
	"fixed_line_or_mobile": phonenumbers.FIXED_LINE_OR_MOBILE,
	"toll_free":            phonenumbers.TOLL_FREE,
	"premium_rate":         phonenumbers.PREMIUM_RATE,
	"shared_cost":          phonenumbers.SHARED_COST,
	"voip":                 phonenumbers.VOIP,
	"personal_number":      phonenumbers.PERSONAL_NUMBER,
	"pager":                phonenumbers.PAGER,
	"uan":                  phonenumbers.UAN,
	"voicemail":            phonenumbers.VOICEMAIL,
	"unknown":              phonenumbers.UNKNOWN,
}

// DefaultBlockedTypes are the number types refused by default: premium rate
// and shared cost pay whoever holds the number (how SMS pumping earns),
// toll-free, pager, UAN, voicemail and plain fixed lines cannot take a
// text, and VoIP numbers are minted by the thousand for a few cents, the
// raw material of pumping and fake sign-ups. Personal numbers (forwarding
// services, mostly to a mobile) stay allowed.
var DefaultBlockedTypes = []string{"premium_rate", "shared_cost", "toll_free", "voip", "pager",
	"uan", "voicemail", "fixed_line", "unknown"}

// ParseNumberTypes reads AUTHD_SMS_BLOCKED_NUMBER_TYPES: a comma list of the
// names above ("" keeps the default, "none" blocks nothing). Mobile numbers
// can never be blocked: a code could then reach nobody.
func ParseNumberTypes(s string) ([]string, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "":
		return slices.Clone(DefaultBlockedTypes), nil
	case "none":
		return []string{}, nil
	}
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		name := strings.TrimSpace(item)
		t, ok := numberTypes[name]
		if !ok || t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE {
			return nil, &domain.ConfigError{Key: "AUTHD_SMS_BLOCKED_NUMBER_TYPES",
				Msg: "want \"none\" or a comma list of " + strings.Join(blockableNames(), ", ") + "; got " + quote(item)}
		}
		out = append(out, name)
	}
	return out, nil
}

func blockableNames() []string {
	var names []string
	for n, t := range numberTypes {
		if t != phonenumbers.MOBILE && t != phonenumbers.FIXED_LINE_OR_MOBILE {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// blockedSet turns names (already checked) into the set Parse consults;
// nil names mean the default.
func blockedSet(names []string) map[phonenumbers.PhoneNumberType]bool {
	if names == nil {
		names = DefaultBlockedTypes
	}
	set := map[phonenumbers.PhoneNumberType]bool{}
	for _, n := range names {
		set[numberTypes[n]] = true
	}
	return set
}
