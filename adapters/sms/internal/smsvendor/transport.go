package smsvendor

import "net/http"

// NewTransport returns a copy of the default transport for one sender, so
// the sender's Close drops its own idle vendor connections and no others.
func NewTransport() *http.Transport {
	return http.DefaultTransport.(*http.Transport).Clone()
}
