package domain_test

import (
	"errors"
	"testing"

	"github.com/authd/authd/domain"
)

func TestNormalizeEmailRefusesLookAlikesAndLiterals(t *testing.T) {
	for _, bad := range []string{
		"bob@[127.0.0.1]", "bob@[IPv6:::1]",
		"b\u202eob@example.com", "bo\u200bb@example.com", "bob@exam\u2060ple.com", "\ufeffbob@example.com",
	} {
		if _, err := domain.NormalizeEmail(bad); !errors.Is(err, domain.ErrInvalidEmail) {
			t.Errorf("NormalizeEmail(%q) = %v, want ErrInvalidEmail", bad, err)
		}
	}
	if got, err := domain.NormalizeEmail(" Bob@Example.com "); err != nil || got != "Bob@Example.com" {
		t.Errorf("NormalizeEmail of a plain address = %q, %v", got, err)
	}
}
