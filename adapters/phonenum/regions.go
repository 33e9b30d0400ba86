package phonenum

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/authd/authd/domain"
)

// knownRegion reports whether r is an ISO region the metadata has numbers
// for. "001", the library's name for non-geographic entities, is not one.
func knownRegion(r string) bool {
	return len(r) == 2 && phonenumbers.GetSupportedRegions()[r]
}

// ParseRegions reads AUTHD_SMS_ALLOWED_REGIONS: "*" for every region, or a
// comma list of ISO regions such as "CN,US" (case and spaces ignored).
func ParseRegions(s string) (domain.RegionPolicy, error) {
	s = strings.TrimSpace(s)
	if s == "*" {
		return domain.RegionPolicy{All: true}, nil
	}
	policy := domain.RegionPolicy{Regions: map[string]bool{}}
	for item := range strings.SplitSeq(s, ",") {
		r := strings.ToUpper(strings.TrimSpace(item))
		if !knownRegion(r) {
			return domain.RegionPolicy{}, &domain.ConfigError{Key: "AUTHD_SMS_ALLOWED_REGIONS",
				Msg: `want "*" or a comma list of ISO regions; unknown region ` + quote(item)}
		}
		policy.Regions[r] = true
	}
	return policy, nil
}

func quote(s string) string { return strconv.Quote(strings.TrimSpace(s)) }
