package sms

import (
	"fmt"

	"github.com/authd/authd/domain"
)

// errReceiptText refuses a receipt whose fields the databases would refuse
// (a NUL reached SQL and gave a 503 the vendor would retry for ever).
var errReceiptText = fmt.Errorf("%w: receipt fields must be plain text", domain.ErrInvalidRequest)

// plainText reports whether every field may reach storage.
func plainText(fields ...string) bool {
	for _, f := range fields {
		if !domain.IsPlainText(f) {
			return false
		}
	}
	return true
}
