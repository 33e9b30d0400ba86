package test

import (
	"crypto"
	"strings"

	"github.com/authd/authd/domain"
)

// errDeliveryFailed is what the failover sender returns when every vendor failed.
var errDeliveryFailed = domain.ErrSMSDeliveryFailed

// cryptoSHA256 names the JWK thumbprint hash (RFC 7638).
const cryptoSHA256 = crypto.SHA256

// grepLines returns the lines of s that contain substr, for failure messages.
func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
