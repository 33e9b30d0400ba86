package bunstore

import (
	"errors"
	"testing"

	"github.com/authd/authd/domain"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantKey string // "" means valid
	}{
		{"sqlite", Config{DatabaseURL: "sqlite:./data/authd.db"}, ""},
		{"postgres", Config{DatabaseURL: "postgres://u@h:5432/db?sslmode=disable", MaxOpenConns: 10}, ""},
		{"postgresql scheme", Config{DatabaseURL: "postgresql://u@h/db"}, ""},
		{"empty", Config{}, "AUTHD_DATABASE_URL"},
		{"unknown scheme", Config{DatabaseURL: "mysql://u@h/db"}, "AUTHD_DATABASE_URL"},
		{"sqlite without path", Config{DatabaseURL: "sqlite:"}, "AUTHD_DATABASE_URL"},
		{"sqlite with query", Config{DatabaseURL: "sqlite:a.db?mode=ro"}, "AUTHD_DATABASE_URL"},
		{"negative pool", Config{DatabaseURL: "sqlite:a.db", MaxOpenConns: -1}, "AUTHD_DATABASE_MAX_OPEN_CONNS"},
		{"postgres pool of one", Config{DatabaseURL: "postgres://h/db", MaxOpenConns: 1}, "AUTHD_DATABASE_MAX_OPEN_CONNS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var ce *domain.ConfigError
			switch {
			case tt.wantKey == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantKey != "" && (!errors.As(err, &ce) || ce.Key != tt.wantKey):
				t.Fatalf("Validate() = %v, want ConfigError for %s", err, tt.wantKey)
			}
		})
	}
}

func TestOpenRejectsMalformedPostgresURL(t *testing.T) {
	// pgdriver panics on a DSN it cannot parse; Open must not.
	_, err := Open(t.Context(), Config{DatabaseURL: "postgres://h/db?sslmode=bogus"}, nil)
	var ce *domain.ConfigError
	if !errors.As(err, &ce) || ce.Key != "AUTHD_DATABASE_URL" {
		t.Fatalf("Open = %v, want ConfigError for AUTHD_DATABASE_URL", err)
	}
}
