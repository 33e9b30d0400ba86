package smsvendor

import (
	"net/http"
	"time"
)

// IdleConnsPerHost is how many idle connections a sender keeps to its
// vendor. The default transport keeps 2, so at 32 sends in flight nearly
// every send opened a new connection (and, against the real vendor, a new
// TLS handshake) and left one in TIME_WAIT. A send takes tens of
// milliseconds from a server near the vendor, so 1,000 sends/s is about 50
// in flight; an idle connection costs a socket and a few KiB of buffers,
// and is closed after IdleConnTimeout.
const IdleConnsPerHost = 128

// NewTransport returns a transport for one sender, so the sender's Close
// drops its own idle vendor connections and no others. It is the default
// transport (proxy from the environment, dial and TLS timeouts, keep-alive,
// HTTP/2 when the vendor's TLS endpoint offers it) with an idle pool sized
// for the send concurrency: with HTTP/2 the sends share one connection,
// with HTTP/1.1 each send in flight keeps its own.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ForceAttemptHTTP2 = true // kept explicit: the pool size below is for HTTP/1.1 only
	t.MaxIdleConns = IdleConnsPerHost
	t.MaxIdleConnsPerHost = IdleConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	return t
}
