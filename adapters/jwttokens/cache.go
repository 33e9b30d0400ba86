package jwttokens

import (
	"strings"
	"sync"

	"github.com/authd/authd/domain"
)

// verifiedCache remembers tokens whose signature already checked out, so a
// client calling with the same access token for its fifteen minutes pays
// the Ed25519 verification (a third of GET /v1/me) once. The key is the
// whole token: a different payload or signature is a different key and is
// verified in full. Expiry is still checked on every hit.
//
// Two generations bound the memory: when the current map is full it
// becomes the previous one and the oldest generation is dropped, which
// approximates LRU without per-entry bookkeeping.
type verifiedCache struct {
	mu        sync.Mutex
	cur, prev map[string]domain.AccessClaims
	size      int // per generation
}

func newVerifiedCache(size int) *verifiedCache {
	return &verifiedCache{cur: make(map[string]domain.AccessClaims, size), size: size}
}

func (c *verifiedCache) get(token string) (domain.AccessClaims, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.cur[token]; ok {
		return cl, true
	}
	cl, ok := c.prev[token]
	if ok {
		c.putLocked(strings.Clone(token), cl) // still in use: keep it young
	}
	return cl, ok
}

// put stores a copy of token: callers' strings may alias a request buffer
// that the HTTP server reuses (fasthttp does), and a key that changed under
// the map would let another token's bytes hit this entry.
func (c *verifiedCache) put(token string, cl domain.AccessClaims) {
	token = strings.Clone(token)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(token, cl)
}

func (c *verifiedCache) putLocked(token string, cl domain.AccessClaims) {
	if len(c.cur) >= c.size {
		c.prev, c.cur = c.cur, make(map[string]domain.AccessClaims, c.size)
	}
	c.cur[token] = cl
}
