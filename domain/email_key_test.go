package domain

import "testing"

func TestEmailKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"ÄBC@x.com", "äbc@x.com", true},
		{"A\u0308bc@x.com", "äbc@x.com", true}, // decomposed vs composed
		{"Ann@Example.COM", "ann@example.com", true},
		{"ΣΟΦΙΑ@x.gr", "σοφια@x.gr", true},
		{"straße@x.de", "STRASSE@x.de", true}, // full folding
		{"abc@x.com", "abd@x.com", false},
		{"äbc@x.com", "abc@x.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			if got := EmailKey(tt.a) == EmailKey(tt.b); got != tt.same {
				t.Errorf("EmailKey(%q) = %q, EmailKey(%q) = %q; same = %v, want %v",
					tt.a, EmailKey(tt.a), tt.b, EmailKey(tt.b), got, tt.same)
			}
		})
	}
	if EmailKey("") != "" {
		t.Error(`EmailKey("") not empty`)
	}
}
