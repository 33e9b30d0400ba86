package httphook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// secretPrefix starts a Standard Webhooks secret; the rest is base64.
const secretPrefix = "whsec_"

// DecodeSecret reads a "whsec_<base64>" secret (the prefix is optional).
func DecodeSecret(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, secretPrefix))
	if err != nil {
		return nil, errors.New("want whsec_ followed by base64")
	}
	if len(key) < 16 {
		return nil, errors.New("want at least 16 bytes of key")
	}
	return key, nil
}

// Sign is the webhook-signature header value for one message under the
// Standard Webhooks scheme: "v1," + base64(HMAC-SHA256(key, id.timestamp.body)).
func Sign(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
