package rediscode

import (
	"errors"
	"slices"
	"testing"

	"github.com/authd/authd/domain"
)

func TestConfigURLForms(t *testing.T) {
	tests := []struct {
		url   string
		addrs []string
		db    int
		user  string
		pass  string
	}{
		{"redis://127.0.0.1:6379/0", []string{"127.0.0.1:6379"}, 0, "", ""},
		{"redis://:secret@redis.internal:6380/2", []string{"redis.internal:6380"}, 2, "", "secret"},
		{"redis://u:p@h1:7001,h2:7002,h3:7003", []string{"h1:7001", "h2:7002", "h3:7003"}, 0, "u", "p"},
		{"redis://h1:7001, h2:7002/?dial_timeout=3s", []string{"h1:7001", "h2:7002"}, 0, "", ""},
		{"redis://h1:7001?addr=h2:7002", []string{"h1:7001", "h2:7002"}, 0, "", ""},
		{"h1:7001,h2:7002", []string{"h1:7001", "h2:7002"}, 0, "", ""},
		{"127.0.0.1:6379", []string{"127.0.0.1:6379"}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			opt, err := Config{URL: tt.url}.clientOption()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(opt.InitAddress, tt.addrs) || opt.SelectDB != tt.db ||
				opt.Username != tt.user || opt.Password != tt.pass {
				t.Fatalf("got addrs %v db %d user %q pass %q", opt.InitAddress, opt.SelectDB, opt.Username, opt.Password)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg Config
		key string // "" means valid
	}{
		{Config{URL: "redis://127.0.0.1:6379/0"}, ""},
		{Config{URL: "redis://127.0.0.1:6379/0", KeyPrefix: "authd:staging"}, ""},
		{Config{URL: ""}, "AUTHD_REDIS_URL"},
		{Config{URL: " , "}, "AUTHD_REDIS_URL"},
		{Config{URL: "http://127.0.0.1:6379"}, "AUTHD_REDIS_URL"},
		{Config{URL: "redis://127.0.0.1:6379/x"}, "AUTHD_REDIS_URL"},
		{Config{URL: "redis://127.0.0.1:6379/0", KeyPrefix: "a{b}"}, "AUTHD_REDIS_KEY_PREFIX"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		var ce *domain.ConfigError
		switch {
		case tt.key == "" && err != nil:
			t.Errorf("%+v: %v", tt.cfg, err)
		case tt.key != "" && (!errors.As(err, &ce) || ce.Key != tt.key):
			t.Errorf("%+v: got %v, want ConfigError for %s", tt.cfg, err, tt.key)
		}
	}
}
