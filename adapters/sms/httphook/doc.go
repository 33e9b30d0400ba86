// Package httphook is the "http" SMS provider: it POSTs each message as
// JSON to an operator's URL, signed as Standard Webhooks, so any vendor
// plugs in without code. A 2xx answer means sent.
package httphook
