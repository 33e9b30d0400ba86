package app

import (
	"net/netip"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Config is the behaviour the use cases are tuned by.
type Config struct {
	Code       domain.CodePolicy
	CodeSecret []byte // HMAC key for code digests; shared by every instance
	Regions    domain.RegionPolicy

	IPCodeLimit       int // code sends per client IP per hour
	IPLoginLimit      int // failed logins per client IP per hour
	LoginFailureLimit int // failed password logins per login name per 15 minutes
	PhoneLookupLimit  int // GET /v1/users/exists per client IP per hour

	RefreshTTL time.Duration
	// RefreshReuseInterval: a refresh token presented again this soon after
	// its rotation gets that rotation's successor again (retry-safe).
	RefreshReuseInterval time.Duration
	ExposePhoneLookup    bool
	SendInitialPassword  bool // text a random password at SMS registration
}

// The windows of the limits above.
const (
	ipWindow           = time.Hour
	loginFailureWindow = 15 * time.Minute
)

func (c Config) ipCodeLimit() ports.Limit {
	return ports.Limit{Name: "ip_code", Max: c.IPCodeLimit, Window: ipWindow}
}

func (c Config) ipLoginLimit() ports.Limit {
	return ports.Limit{Name: "ip_login", Max: c.IPLoginLimit, Window: ipWindow}
}

func (c Config) loginFailureLimit() ports.Limit {
	return ports.Limit{Name: "login_failures", Max: c.LoginFailureLimit, Window: loginFailureWindow}
}

func (c Config) phoneLookupLimit() ports.Limit {
	return ports.Limit{Name: "ip_lookup", Max: c.PhoneLookupLimit, Window: ipWindow}
}

// Client describes who is calling, for limits and session records.
type Client struct {
	IP        string
	UserAgent string
}

// limitKey names the client's per-IP budget. An IPv6 client usually holds
// a whole /64, so the budget is the /64's, or a new address per request
// would buy a new budget.
func (c Client) limitKey(limit string) string {
	a, err := netip.ParseAddr(c.IP)
	if err == nil && a.Is6() && !a.Is4In6() {
		return limit + ":" + netip.PrefixFrom(a, 64).Masked().String()
	}
	return limit + ":" + c.IP
}
