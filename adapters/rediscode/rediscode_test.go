package rediscode_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/redis/rueidis"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/services"
)

// newStore connects to url under a key prefix of the test's own and deletes
// the test's keys afterwards; the shared server is never flushed.
func newStore(t testing.TB, url string) *rediscode.Store {
	t.Helper()
	prefix := "authdtest:" + strings.ToLower(rand.Text()[:12])
	s, err := rediscode.New(rediscode.Config{URL: url, KeyPrefix: prefix})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		deleteKeys(t, url, prefix+":*")
		s.Close()
	})
	return s
}

// deleteKeys removes the keys matching pattern from a standalone server.
func deleteKeys(t testing.TB, url, pattern string) {
	opt, err := rueidis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	opt.DisableCache = true
	c, err := rueidis.NewClient(opt)
	if err != nil {
		t.Errorf("clean up %s: %v", pattern, err)
		return
	}
	defer c.Close()
	for _, k := range scanKeys(t, c, pattern) {
		if err := c.Do(context.Background(), c.B().Del().Key(k).Build()).Error(); err != nil {
			t.Errorf("clean up %s: %v", k, err)
		}
	}
}

func scanKeys(t testing.TB, c rueidis.Client, pattern string) []string {
	t.Helper()
	var keys []string
	cursor := uint64(0)
	for {
		e, err := c.Do(context.Background(), c.B().Scan().Cursor(cursor).Match(pattern).Count(1000).Build()).AsScanEntry()
		if err != nil {
			t.Fatalf("SCAN: %v", err)
		}
		keys = append(keys, e.Elements...)
		if cursor = e.Cursor; cursor == 0 {
			return keys
		}
	}
}

func TestCodesContract(t *testing.T) {
	url := services.Redis(t)
	portstest.TestCodes(t, func(t *testing.T) ports.Codes { return newStore(t, url) })
}

func TestRateLimiterContract(t *testing.T) {
	url := services.Redis(t)
	portstest.TestRateLimiter(t, func(t *testing.T) ports.RateLimiter { return newStore(t, url) })
}

// TestCluster runs both contracts on a 3-master Redis Cluster: any script
// touching keys of two slots would fail with CROSSSLOT.
func TestCluster(t *testing.T) {
	addrs := services.RedisCluster(t)
	url := "redis://" + strings.Join(addrs, ",")
	newCluster := func(t *testing.T) *rediscode.Store {
		s, err := rediscode.New(rediscode.Config{URL: url})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		t.Cleanup(s.Close)
		return s
	}
	t.Run("Codes", func(t *testing.T) {
		portstest.TestCodes(t, func(t *testing.T) ports.Codes { return newCluster(t) })
	})
	t.Run("RateLimiter", func(t *testing.T) {
		portstest.TestRateLimiter(t, func(t *testing.T) ports.RateLimiter { return newCluster(t) })
	})
	t.Run("Ping", func(t *testing.T) {
		if err := newCluster(t).Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkCodes(b *testing.B) {
	portstest.BenchmarkCodes(b, newStore(b, services.Redis(b)))
}

func BenchmarkCodesCluster(b *testing.B) {
	addrs := services.RedisCluster(b)
	s, err := rediscode.New(rediscode.Config{URL: strings.Join(addrs, ",")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	portstest.BenchmarkCodes(b, s)
}
