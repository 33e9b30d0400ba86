package app

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/authd/authd/ports"
)

// codeDigest is what the store keeps instead of the code: an HMAC over phone,
// purpose and code under the server secret, so a leaked store reveals no
// code and a code for one phone or purpose never matches another.
func codeDigest(secret []byte, key ports.CodeKey, code string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(key.Phone))
	m.Write([]byte{0})
	m.Write([]byte(key.Purpose))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// wellFormedCode reports whether s is exactly n ASCII digits; anything else
// cannot be a code we issued, so it is refused without touching the store.
func wellFormedCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
