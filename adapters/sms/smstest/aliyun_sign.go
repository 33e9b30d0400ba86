package smstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// verify checks the RPC common parameters and the HMAC-SHA1 signature. It
// returns the HTTP status, error code and message to answer with, or an
// empty code.
func (s *Aliyun) verify(method string, q url.Values) (int, string, string) {
	for k, v := range map[string]string{"Action": "SendSms", "Version": "2017-05-25", "Format": "JSON",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0"} {
		if q.Get(k) != v {
			return http.StatusBadRequest, "InvalidParameter", k + " must be " + v
		}
	}
	if q.Get("AccessKeyId") != s.acct.AccessKeyID {
		return http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", q.Get("Timestamp"))
	if err != nil {
		return http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
	}
	if d := time.Since(ts); d > 15*time.Minute || d < -15*time.Minute {
		return http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
	}
	toSign := aliyunStringToSign(method, q)
	mac := hmac.New(sha1.New, []byte(s.acct.AccessKeySecret+"&"))
	mac.Write([]byte(toSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(q.Get("Signature")), []byte(want)) {
		// Like the real service, echo the string to sign: it holds the key
		// id and the number, which adapters must keep out of logs.
		return http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:" + toSign
	}
	nonce := q.Get("SignatureNonce")
	if _, used := s.nonces.LoadOrStore(nonce, true); used || nonce == "" {
		return http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already."
	}
	return 0, "", ""
}

// aliyunStringToSign builds METHOD&%2F&enc(sorted enc(k)=enc(v) joined by &)
// with RFC 3986 encoding, every parameter but Signature included.
func aliyunStringToSign(method string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, rfc3986(k)+"="+rfc3986(q.Get(k)))
	}
	return method + "&" + rfc3986("/") + "&" + rfc3986(strings.Join(pairs, "&"))
}

// rfc3986 percent-encodes every byte but the unreserved characters.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		const hex = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
