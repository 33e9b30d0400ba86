package rediscode

import (
	"errors"
	"net/url"
	"strings"

	"github.com/redis/rueidis"

	"github.com/authd/authd/domain"
)

// DefaultKeyPrefix starts every key unless Config.KeyPrefix says otherwise.
const DefaultKeyPrefix = "authd"

// Config says which Redis to use.
type Config struct {
	URL       string // AUTHD_REDIS_URL: see the package comment for the forms
	KeyPrefix string // AUTHD_REDIS_KEY_PREFIX: first part of every key, default "authd"
}

// Validate checks that the URL parses.
func (c Config) Validate() error {
	if _, err := c.clientOption(); err != nil {
		return &domain.ConfigError{Key: "AUTHD_REDIS_URL", Msg: err.Error()}
	}
	if strings.ContainsAny(c.KeyPrefix, "{} \t\r\n") {
		return &domain.ConfigError{Key: "AUTHD_REDIS_KEY_PREFIX", Msg: "must not contain braces or spaces"}
	}
	return nil
}

func (c Config) prefix() string {
	if c.KeyPrefix == "" {
		return DefaultKeyPrefix
	}
	return c.KeyPrefix
}

// clientOption turns the URL into rueidis options. rueidis.ParseURL takes
// one host, so further comma-separated hosts become its addr parameters.
func (c Config) clientOption() (rueidis.ClientOption, error) {
	raw := strings.TrimSpace(c.URL)
	if raw == "" {
		return rueidis.ClientOption{}, errors.New("empty; set redis://host:port/db")
	}
	if !strings.Contains(raw, "://") {
		addrs := splitAddrs(raw)
		if len(addrs) == 0 {
			return rueidis.ClientOption{}, errors.New("no address in " + raw)
		}
		return rueidis.ClientOption{InitAddress: addrs}, nil
	}
	scheme, rest, _ := strings.Cut(raw, "://")
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	user, hosts := "", authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		user, hosts = authority[:i+1], authority[i+1:]
	}
	path, query, _ := strings.Cut(tail, "?")
	if path == "/" {
		path = "" // rueidis reads "/" as an empty database number
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return rueidis.ClientOption{}, err
	}
	addrs := splitAddrs(hosts)
	if len(addrs) == 0 {
		addrs = []string{""} // rueidis defaults to localhost:6379
	}
	for _, a := range addrs[1:] {
		q.Add("addr", a)
	}
	raw = scheme + "://" + user + addrs[0] + path
	if len(q) > 0 {
		raw += "?" + q.Encode()
	}
	return rueidis.ParseURL(raw)
}

// splitAddrs splits a comma-separated address list, dropping blanks.
func splitAddrs(s string) []string {
	var out []string
	for a := range strings.SplitSeq(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}
