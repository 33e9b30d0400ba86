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
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled entry: keep the last address we could trust
		}
		client = a.Unmap()
		if !r.isTrusted(client) {
			break
		}
	}
	return client.String()
}
