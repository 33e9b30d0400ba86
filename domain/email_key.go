package domain

import (
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// EmailKey is the identity of an email address: what makes two addresses
// one account. It is computed here, not by the database, because SQLite's
// lower() folds only ASCII while Postgres folds all of Unicode: "ÄBC@x.com"
// and "äbc@x.com" were two accounts on one and one on the other. The key is
// the NFC form of the full Unicode case folding of the NFC form, so case
// and composed/decomposed spellings ("Ä" as one code point or as A plus a
// combining diaeresis) all meet. The address itself is stored as given.
func EmailKey(email string) string {
	if email == "" {
		return ""
	}
	// A Caser keeps state: one per call, never shared.
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(email)))
}
