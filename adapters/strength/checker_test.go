package strength

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestCheck(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	user := []string{"bob_the_builder", "bob.smith@example.com", "+8613711112222"}
	for _, tt := range []struct {
		password   string
		weak       bool
		reasonPart string
	}{
		{"password", true, "commonly used password"},
		{"Password1", true, ""},
		{"12345678", true, ""},
		{"qwertyuiop", true, ""},
		{"aaaaaaaaaaaa", true, "repeated"},
		{"abcdefghijkl", true, ""},
		{"iloveyou", true, ""},
		{"bob_the_builder", true, "username, email or phone"},
		{"Bob_The_Builder", true, "username, email or phone"},
		{"bob.smith", true, "username, email or phone"},
		{"13711112222", true, ""},
		{"correct horse battery staple 7!", false, ""},
		{"Tr0ub4dor&3-zebra-lamp", false, ""},
		{"vX9#qL2!mZ7@wR4$", false, ""},
	} {
		err := c.Check(tt.password, user)
		var weak *domain.WeakPasswordError
		switch {
		case tt.weak && !errors.As(err, &weak):
			t.Errorf("Check(%q) = %v, want WeakPasswordError", tt.password, err)
		case tt.weak && (weak.Reason == "" || !strings.Contains(weak.Reason, tt.reasonPart)):
			t.Errorf("Check(%q) reason %q, want it to mention %q", tt.password, weak.Reason, tt.reasonPart)
		case !tt.weak && err != nil:
			t.Errorf("Check(%q) = %v, want nil", tt.password, err)
		}
	}
}

func TestUserInputsCount(t *testing.T) {
	c, _ := New(Config{})
	const pw = "zebulon-quartzfield"
	if err := c.Check(pw, nil); err != nil {
		t.Fatalf("Check without inputs: %v", err)
	}
	if err := c.Check(pw, []string{"zebulon-quartzfield"}); err == nil {
		t.Fatal("a password equal to the username passed")
	}
}

func TestMinScore(t *testing.T) {
	// "Password1" scores low; with the bar at 1 it still fails, and
	// "correct horse..." passes at 4.
	strict, _ := New(Config{MinScore: 4})
	if err := strict.Check("correct horse battery staple 7!", nil); err != nil {
		t.Errorf("strict: %v", err)
	}
	lax, _ := New(Config{MinScore: 1})
	if err := lax.Check("password", nil); err == nil {
		t.Error("lax accepted \"password\"")
	}
	for _, s := range []int{-1, 5} {
		var ce *domain.ConfigError
		if _, err := New(Config{MinScore: s}); !errors.As(err, &ce) || ce.Key != "AUTHD_PASSWORD_MIN_SCORE" {
			t.Errorf("MinScore %d: %v", s, err)
		}
	}
}

func TestConcurrentChecks(t *testing.T) {
	c, _ := New(Config{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := c.Check("password", []string{"user" + string(rune('a'+i))}); err == nil {
				t.Error("weak password passed")
			}
		})
	}
	wg.Wait()
}

func TestModule(t *testing.T) {
	var s ports.PasswordStrength
	app := fx.New(Module(Config{}), fx.NopLogger, fx.Populate(&s))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if s.Check("password", nil) == nil {
		t.Fatal("weak password passed")
	}
}

func BenchmarkCheck128(b *testing.B) {
	c, _ := New(Config{})
	pw := strings.Repeat("Xq7!correcthorse", 8)
	for b.Loop() {
		_ = c.Check(pw, []string{"someone", "someone@example.com", "+8613711112222"})
	}
}

func TestLeetSpellingIsSeenThrough(t *testing.T) {
	c, _ := New(Config{})
	for _, pw := range []string{"P@ssw0rd", "p4$$w0rd!", "1l0v3y0u", "$unsh1ne", "m0nk3y12"} {
		if err := c.Check(pw, nil); err == nil {
			t.Errorf("Check(%q) passed", pw)
		}
	}
}

func TestLongInputsAreCheap(t *testing.T) {
	c, _ := New(Config{})
	for _, base := range []string{"4@8({[<36!|170$5+%2", "a1b2c3d4e5f6g7h8"} {
		pw := strings.Repeat(base, 10)[:128]
		start := time.Now()
		_ = c.Check(pw, []string{"someone"})
		// Unbounded zxcvbn took seconds here; the bound keeps it far
		// under this even under -race on a busy machine.
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Check(%q) took %v", pw, d)
		}
	}
	if prefix("héllo", 2) != "hé" || prefix("ab", 5) != "ab" {
		t.Error("prefix is not rune-aware")
	}
}

func BenchmarkCheckLeet128(b *testing.B) {
	c, _ := New(Config{})
	pw := strings.Repeat("4@8({[<36!|170$5+%2", 10)[:128]
	for b.Loop() {
		_ = c.Check(pw, []string{"someone"})
	}
}
