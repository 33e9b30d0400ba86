package rediscode_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/rueidis"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/test/services"
)

func issue(ctx context.Context, s ports.Codes, phone string) error {
	return s.Issue(ctx, ports.IssueCode{
		Key:    ports.CodeKey{Phone: phone, Purpose: domain.PurposeLogin},
		Digest: []byte("digest-" + phone), Policy: domain.DefaultCodePolicy(), Now: time.Now(),
	})
}

// TestRecoversAfterOutage stops a redis-server of the test's own: calls fail
// with ErrUnavailable, and work again once it is back on the same port,
// without a new Store.
func TestRecoversAfterOutage(t *testing.T) {
	srv := services.StartRedis(t)
	s, err := rediscode.New(rediscode.Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := issue(t.Context(), s, "+8613700000001"); err != nil {
		t.Fatalf("Issue before the outage: %v", err)
	}

	srv.Stop()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]error{
		"Issue":  issue(ctx, s, "+8613700000002"),
		"Verify": s.Verify(ctx, ports.CodeKey{Phone: "+8613700000001", Purpose: domain.PurposeLogin}, []byte("x"), 5, time.Now()),
		"Take":   s.Take(ctx, "ip:1", ports.Limit{Name: "ip_code", Max: 1, Window: time.Minute}, time.Now()),
		"Reset":  s.Reset(ctx, "ip:1"),
		"Ping":   s.Ping(ctx),
	}
	for name, err := range checks {
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("%s during the outage: got %v, want ErrUnavailable", name, err)
		}
	}

	srv.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := issue(t.Context(), s, "+8613700000003")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Issue still failing 10s after Redis came back: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNewUnreachable: a server that is down at start is ErrUnavailable.
func TestNewUnreachable(t *testing.T) {
	srv := services.StartRedis(t)
	srv.Stop()
	_, err := rediscode.New(rediscode.Config{URL: srv.URL()})
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
}

// TestKeysShareTagAndExpire checks the key layout of one Issue: every key is
// under the phone's hash tag, has a TTL, and no value holds the code.
func TestKeysShareTagAndExpire(t *testing.T) {
	url := services.Redis(t)
	s := newStore(t, url)
	phone := "+8613711112222"
	if err := issue(t.Context(), s, phone); err != nil {
		t.Fatal(err)
	}
	if err := s.Take(t.Context(), "ip:203.0.113.7", ports.Limit{Name: "ip_code", Max: 3, Window: time.Hour}, time.Now()); err != nil {
		t.Fatal(err)
	}
	opt, _ := rueidis.ParseURL(url)
	opt.DisableCache = true
	c, err := rueidis.NewClient(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var keys []string
	for _, k := range scanKeys(t, c, "authdtest:*") {
		if strings.Contains(k, "{"+phone+"}") || strings.Contains(k, "{rl:ip:203.0.113.7}") {
			keys = append(keys, k[strings.Index(k, "{"):])
			ttl, err := c.Do(t.Context(), c.B().Pttl().Key(k).Build()).AsInt64()
			if err != nil || ttl <= 0 {
				t.Errorf("key %s: PTTL %d, %v; every key needs a TTL", k, ttl, err)
			}
		}
	}
	slices.Sort(keys)
	want := []string{"{+8613711112222}:code:login", "{+8613711112222}:cooldown:login",
		"{+8613711112222}:sends", "{rl:ip:203.0.113.7}:n"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
}

// TestModule starts and stops the fx module: one Store serves both ports
// and the health group.
func TestModule(t *testing.T) {
	url := services.Redis(t)
	var in struct {
		fx.In
		Codes   ports.Codes
		Limiter ports.RateLimiter
		Health  []ports.HealthCheck `group:"health"`
	}
	app := fx.New(rediscode.Module(rediscode.Config{URL: url, KeyPrefix: "authdtest:module"}),
		fx.Populate(&in), fx.NopLogger)
	if err := app.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(in.Health) != 1 || in.Health[0].Name() != "redis" || in.Health[0].Ping(t.Context()) != nil {
		t.Fatalf("health group: %v", in.Health)
	}
	if in.Codes.(*rediscode.Store) != in.Limiter.(*rediscode.Store) {
		t.Fatal("Codes and RateLimiter are different stores")
	}
	if err := app.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := in.Health[0].Ping(t.Context()); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("Ping after stop: got %v, want ErrUnavailable (client closed)", err)
	}
}
