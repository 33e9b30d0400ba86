package httpapi

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIPs resolves the client address. The peer address is the client
// unless the peer is a trusted proxy; then X-Forwarded-For is read from the
// right, skipping trusted hops, because only the entries our own proxies
// appended are believable: anything to their left is what the client sent.
type clientIPs struct {
	trusted []netip.Prefix
}

func (r clientIPs) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (r clientIPs) resolve(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return "unknown"
	}
	peer = peer.Unmap()
	if len(r.trusted) == 0 || !r.isTrusted(peer) {
		return peer.String()
	}
	// Every X-Forwarded-For line counts, joined in order (RFC 9110 5.3): a
	// proxy that appends a line of its own must not leave the client's
	// first line in charge.
	var lines []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		lines = append(lines, string(v))
	}
	hops := strings.Split(strings.Join(lines, ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil || a.Zone() != "" {
			// A garbled entry, or an IPv6 zone (client text that no proxy
			// puts there and no limit key needs): keep the last address we
			// could trust.
			break
		}
		client = a.Unmap()
		if !r.isTrusted(client) {
			break
		}
	}
	return client.String()
}
