package smstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verify checks the request line, headers and TC3-HMAC-SHA256 signature.
// It returns the body, or the Tencent error code to answer with.
func (s *Tencent) verify(r *http.Request) ([]byte, string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, "InternalError"
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return nil, "UnsupportedProtocol"
	}
	if r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" {
		return nil, "InvalidAction"
	}
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "TC3-HMAC-SHA256 ")
	if !ok {
		return nil, "AuthFailure.SignatureFailure"
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ", ") {
		if k, v, ok := strings.Cut(part, "="); ok {
			fields[k] = v
		}
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 4 || cred[2] != "sms" || cred[3] != "tc3_request" || fields["SignedHeaders"] != "content-type;host" {
		return nil, "AuthFailure.SignatureFailure"
	}
	if cred[0] != s.acct.SecretID {
		return nil, "AuthFailure.SecretIdNotFound"
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return nil, "AuthFailure.SignatureFailure"
	}
	if d := time.Since(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return nil, "AuthFailure.SignatureExpire"
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if cred[1] != date {
		return nil, "AuthFailure.SignatureFailure"
	}
	want := tc3Signature(s.acct.SecretKey, date, strconv.FormatInt(ts, 10), r.Header.Get("Content-Type"), r.Host, body)
	if !hmac.Equal([]byte(fields["Signature"]), []byte(want)) {
		return nil, "AuthFailure.SignatureFailure"
	}
	return body, ""
}

// tc3Signature computes the signature as Tencent documents it.
func tc3Signature(secretKey, date, timestamp, contentType, host string, body []byte) string {
	canonical := "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\ncontent-type;host\n" + sha256hex(body)
	toSign := "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/sms/tc3_request\n" + sha256hex([]byte(canonical))
	key := hmacSHA256([]byte("TC3"+secretKey), date)
	key = hmacSHA256(key, "sms")
	key = hmacSHA256(key, "tc3_request")
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
