package httpapi

import (
	"net/netip"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// Config is the HTTP server's configuration.
type Config struct {
	Addr           string        // AUTHD_HTTP_ADDR
	TrustedProxies []string      // AUTHD_TRUSTED_PROXIES: CIDRs or addresses whose X-Forwarded-For is believed
	BodyLimit      int           // bytes; 64 KiB by contract
	ReadTimeout    time.Duration // per request
	ReceiptSecret  string        // AUTHD_SMS_RECEIPT_SECRET: shared secret on vendor receipt callbacks
	AdminAddr      string        // AUTHD_ADMIN_ADDR: the operators' listener (metrics, probes, admin API)
	CORSOrigins    []string      // AUTHD_CORS_ALLOWED_ORIGINS: exact origins browsers may call from
}

// DefaultConfig is the contract's defaults.
func DefaultConfig() Config {
	return Config{Addr: ":8080", AdminAddr: "127.0.0.1:8081", BodyLimit: 64 << 10, ReadTimeout: 10 * time.Second}
}

// Validate checks the address and parses the proxy list.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Addr) == "" {
		return &domain.ConfigError{Key: "AUTHD_HTTP_ADDR", Msg: "must not be empty"}
	}
	if strings.TrimSpace(c.AdminAddr) == "" {
		return &domain.ConfigError{Key: "AUTHD_ADMIN_ADDR", Msg: "must not be empty"}
	}
	if err := validateOrigins(c.CORSOrigins); err != nil {
		return &domain.ConfigError{Key: "AUTHD_CORS_ALLOWED_ORIGINS", Msg: err.Error()}
	}
	if _, err := parsePrefixes(c.TrustedProxies); err != nil {
		return &domain.ConfigError{Key: "AUTHD_TRUSTED_PROXIES", Msg: err.Error()}
	}
	return nil
}

// parsePrefixes accepts CIDRs and bare addresses.
func parsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
