package jwttokens

import (
	"errors"
	"fmt"
	"testing"
	"time"
	"unsafe"

	"github.com/authd/authd/domain"
)

func TestVerifiedTokensStillExpire(t *testing.T) {
	tk := newTestTokens(t, Config{})
	now := time.Now()
	at, err := tk.IssueAccess(t.Context(), "user-1", "family-1", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.VerifyAccess(t.Context(), at.Token, now); err != nil {
		t.Fatal(err)
	}
	if _, ok := tk.keys.Load().verified.get(at.Token); !ok {
		t.Fatal("a verified token is not cached")
	}
	// The second call is served from the cache and must still apply exp.
	_, err = tk.VerifyAccess(t.Context(), at.Token, now.Add(at.TTL+time.Minute))
	if !errors.Is(err, domain.ErrInvalidToken) {
		t.Fatalf("expired cached token: err = %v", err)
	}
	// A copy with one signature byte changed is a different key: refused.
	b := []byte(at.Token)
	b[len(b)-2] ^= 1
	if _, err := tk.VerifyAccess(t.Context(), string(b), now); !errors.Is(err, domain.ErrInvalidToken) {
		t.Fatalf("tampered copy of a cached token: err = %v", err)
	}
}

func TestVerifiedCacheIsBounded(t *testing.T) {
	c := newVerifiedCache(8)
	for i := range 100 {
		c.put(fmt.Sprint("token-", i), domain.AccessClaims{Subject: fmt.Sprint(i)})
	}
	if n := len(c.cur) + len(c.prev); n > 16 {
		t.Fatalf("cache holds %d tokens, want at most 16", n)
	}
	if cl, ok := c.get("token-99"); !ok || cl.Subject != "99" {
		t.Fatalf("newest token missing: %v %v", cl, ok)
	}
	if _, ok := c.get("token-0"); ok {
		t.Fatal("oldest token still cached")
	}
}

// The HTTP server hands us strings that alias its request buffers; a cached
// key must not change when the buffer is reused for the next request.
func TestVerifiedCacheKeysDoNotAliasCallerBytes(t *testing.T) {
	c := newVerifiedCache(8)
	buf := []byte("token-AAAA")
	aliased := unsafe.String(&buf[0], len(buf)) // what fasthttp's header Peek gives
	c.put(aliased, domain.AccessClaims{Subject: "alice"})
	copy(buf, "token-BBBB") // the next request on the connection
	if cl, ok := c.get("token-AAAA"); !ok || cl.Subject != "alice" {
		t.Fatal("the cached token changed with the caller's buffer")
	}
	if _, ok := c.get("token-BBBB"); ok {
		t.Fatal("bytes of a later request match a cached token")
	}
}
