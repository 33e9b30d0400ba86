package argon2hash

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// cheap keeps the suite fast under -race; the default cost is tested once.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t *testing.T, cfg Config) *Hasher {
	t.Helper()
	if cfg.Params == (Params{}) {
		cfg.Params = cheap
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, Config{})
	hash, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		plain string
		want  bool
	}{
		{"correct horse", true},
		{"correct horse ", false},
		{"Correct horse", false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, hash, tt.plain)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.plain, ok, err, tt.want)
		}
	}
	if n := h.dummyRuns.Load(); n != 0 {
		t.Errorf("dummy ran %d times on a well-formed hash", n)
	}
	again, _ := h.Hash(ctx, "correct horse")
	if again == hash {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestDefaultParamsPHCFormat(t *testing.T) {
	ctx := context.Background()
	h, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash(ctx, "pässwörd")
	if err != nil {
		t.Fatal(err)
	}
	// 16-byte salt: 22 base64 chars; 32-byte key: 43; no padding.
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(hash) {
		t.Fatalf("hash %q does not match %s", hash, re)
	}
	if ok, err := h.Verify(ctx, hash, "pässwörd"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestVerifyAcceptsOtherParams(t *testing.T) {
	ctx := context.Background()
	old := newHasher(t, Config{Params: Params{Memory: 32, Time: 3, Threads: 2, SaltLen: 8, KeyLen: 16}})
	hash, err := old.Hash(ctx, "s3cret-pass")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hash, "$m=32,t=3,p=2$") {
		t.Fatalf("params not encoded: %s", hash)
	}
	current := newHasher(t, Config{})
	if ok, err := current.Verify(ctx, hash, "s3cret-pass"); !ok || err != nil {
		t.Fatalf("Verify with other params = %v, %v", ok, err)
	}
}

func TestMalformedHashCostsADummyAndIsFalse(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, Config{})
	good, _ := h.Hash(ctx, "password1")
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, hash := range map[string]string{
		"empty":          "",
		"garbage":        "not a hash",
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":        with(1, "argon2i"),
		"old version":    with(2, "v=16"),
		"no version":     strings.Join(append(parts[:2:2], parts[3:]...), "$"),
		"missing param":  with(3, "m=64,t=1"),
		"extra param":    with(3, "m=64,t=1,p=1,x=2"),
		"param order":    with(3, "t=1,m=64,p=1"),
		"negative":       with(3, "m=-64,t=1,p=1"),
		"zero time":      with(3, "m=64,t=0,p=1"),
		"zero threads":   with(3, "m=64,t=1,p=0"),
		"threads>255":    with(3, "m=64,t=1,p=256"),
		"huge memory":    with(3, "m=4294967295,t=1,p=1"),
		"huge time":      with(3, "m=64,t=100000,p=1"),
		"memory<8p":      with(3, "m=8,t=1,p=2"),
		"bad salt b64":   with(4, "!!!!"),
		"padded salt":    with(4, parts[4]+"=="),
		"short salt":     with(4, "AAAA"),
		"empty key":      with(5, ""),
		"short key":      with(5, "AAAAAAAA"),
		"trailing field": good + "$x",
		"leading space":  " " + good,
	} {
		before := h.dummyRuns.Load()
		ok, err := h.Verify(ctx, hash, "password1")
		if ok || err != nil {
			t.Errorf("%s: Verify(%q) = %v, %v; want false, nil", name, hash, ok, err)
		}
		if h.dummyRuns.Load() != before+1 {
			t.Errorf("%s: dummy hash not computed", name)
		}
	}
}

func TestSemaphoreBoundsConcurrency(t *testing.T) {
	const slots = 3
	h := newHasher(t, Config{Concurrency: slots, QueueTimeout: 10 * time.Second})
	var running, peak atomic.Int32
	h.key = func(password, salt []byte, p Params) []byte {
		n := running.Add(1)
		for {
			m := peak.Load()
			if n <= m || peak.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
		return make([]byte, p.KeyLen)
	}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = h.Hash(context.Background(), "pw")
			} else {
				_, err = h.Verify(context.Background(), "", "pw")
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > slots || p < 2 {
		t.Fatalf("peak concurrency %d, want 2..%d", p, slots)
	}
}

func TestQueueTimeoutAndCancelAreUnavailable(t *testing.T) {
	h := newHasher(t, Config{Concurrency: 1, QueueTimeout: 50 * time.Millisecond})
	release := make(chan struct{})
	entered := make(chan struct{})
	h.key = func(_, _ []byte, p Params) []byte {
		entered <- struct{}{}
		<-release
		return make([]byte, p.KeyLen)
	}
	done := make(chan error)
	go func() {
		_, err := h.Hash(context.Background(), "holder")
		done <- err
	}()
	<-entered

	if _, err := h.Hash(context.Background(), "waiter"); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Hash after queue timeout: %v, want ErrUnavailable", err)
	}
	if _, err := h.Verify(context.Background(), "", "waiter"); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Verify after queue timeout: %v, want ErrUnavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "waiter"); !errors.Is(err, domain.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with ended ctx: %v, want ErrUnavailable wrapping Canceled", err)
	}

	close(release)
	if err := <-done; err != nil {
		t.Fatalf("holder: %v", err)
	}
	// The slot is free again.
	h.key = argon2id
	if _, err := h.Hash(context.Background(), "after"); err != nil {
		t.Fatalf("Hash after release: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cfg     Config
		wantKey string
	}{
		{"zero", Config{}, ""},
		{"set", Config{Concurrency: 4, QueueTimeout: time.Second, Params: cheap}, ""},
		{"negative concurrency", Config{Concurrency: -1}, "AUTHD_PASSWORD_HASH_CONCURRENCY"},
		{"negative timeout", Config{QueueTimeout: -time.Second}, "AUTHD_PASSWORD_HASH_QUEUE_TIMEOUT"},
		{"bad params", Config{Params: Params{Memory: 64, Time: 1}}, "argon2hash.Params"},
	} {
		err := tt.cfg.Validate()
		var ce *domain.ConfigError
		switch {
		case tt.wantKey == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantKey != "" && (!errors.As(err, &ce) || ce.Key != tt.wantKey):
			t.Errorf("%s: %v, want ConfigError for %s", tt.name, err, tt.wantKey)
		}
	}
	if _, err := New(Config{Concurrency: -1}); err == nil {
		t.Error("New accepted an invalid config")
	}
}

func TestModule(t *testing.T) {
	var p ports.Passwords
	app := fx.New(Module(Config{Params: cheap}), fx.NopLogger, fx.Populate(&p))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if p == nil {
		t.Fatal("ports.Passwords not provided")
	}
}

func BenchmarkHash(b *testing.B) {
	h, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
