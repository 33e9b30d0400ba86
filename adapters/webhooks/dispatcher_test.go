package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/test/services"
)

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// TestSignatureVector checks the signer against the test vector published
// with the Standard Webhooks specification.
func TestSignatureVector(t *testing.T) {
	d, err := New(Config{URLs: []string{"http://127.0.0.1:1/"}, Secret: testSecret}, nil, fixedClock{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := d.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil || sig != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature = %q, %v", sig, err)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{URLs: []string{"https://hooks.example.com/x"}, Secret: testSecret}, true},
		{Config{URLs: []string{"https://hooks.example.com/x"}}, false},
		{Config{URLs: []string{"https://hooks.example.com/x"}, Secret: "whsec_short"}, false},
		{Config{URLs: []string{"ftp://x"}, Secret: testSecret}, false},
		{Config{URLs: []string{"/relative"}, Secret: testSecret}, false},
	}
	for _, c := range cases {
		if err := c.cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: err = %v", c.cfg, err)
		}
	}
}

// receiver is a local webhook endpoint that verifies signatures with its
// secret, refuses the first failFirst valid requests with 503, and records
// what it accepted.
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	accepted  []accepted
	refused   int
}

type accepted struct {
	ID, Type, UserID string
}

func newReceiver(t *testing.T, secret string, failFirst int) *receiver {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{failFirst: failFirst}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := wh.Verify(body, req.Header); err != nil {
			r.refused++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.failFirst > 0 {
			r.failFirst--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var p struct {
			Type      string         `json:"type"`
			Timestamp string         `json:"timestamp"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(body, &p); err != nil || p.Timestamp == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		uid, _ := p.Data["user_id"].(string)
		r.accepted = append(r.accepted, accepted{ID: req.Header.Get("webhook-id"), Type: p.Type, UserID: uid})
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() ([]accepted, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.accepted), r.refused
}

func sqliteOutbox(t *testing.T) *bunstore.Store {
	return openOutbox(t, "sqlite:"+filepath.Join(t.TempDir(), "authd.db"))
}

func openOutbox(t *testing.T, url string) *bunstore.Store {
	t.Helper()
	st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

// recordEvents stores n events per user for users u0..u(users-1), in
// creation order, and returns their ids.
func recordEvents(t *testing.T, st *bunstore.Store, users, n int) []domain.Event {
	t.Helper()
	ids := system.NewIDs()
	var evs []domain.Event
	for i := range n {
		for u := range users {
			typ := domain.EventUserUpdated
			if i == 0 {
				typ = domain.EventUserCreated
			}
			evs = append(evs, domain.Event{ID: ids.NewID(), Type: typ, UserID: fmt.Sprint("u", u), At: time.Now().UTC(),
				Details: map[string]any{"fields": []string{"username"}, "seq": i}})
		}
	}
	// A failed login is no webhook event: it must never be sent.
	evs = append(evs, domain.Event{ID: ids.NewID(), Type: domain.EventLoginFailed, UserID: "u0", At: time.Now().UTC()})
	if err := st.RecordEvents(t.Context(), evs...); err != nil {
		t.Fatal(err)
	}
	return evs[:len(evs)-1]
}

func newDispatcher(t *testing.T, st ports.WebhookOutbox, cfg Config) *Dispatcher {
	t.Helper()
	if cfg.Secret == "" {
		cfg.Secret = testSecret
	}
	cfg.RetryBase, cfg.PollInterval = 20*time.Millisecond, 10*time.Millisecond
	d, err := New(cfg, st, system.NewClock(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// runUntil runs the dispatchers until done() or a deadline.
func runUntil(t *testing.T, done func() bool, ds ...*Dispatcher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		go func() { defer wg.Done(); d.Run(ctx) }()
	}
	for ctx.Err() == nil && !done() {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if !done() {
		t.Fatal("not done before the deadline")
	}
}

// checkOnceInOrder: every event accepted exactly once, each user's in
// creation order, and nothing else.
func checkOnceInOrder(t *testing.T, got []accepted, want []domain.Event) {
	t.Helper()
	count := map[string]int{}
	perUser := map[string][]string{}
	for _, a := range got {
		count[a.ID]++
		perUser[a.UserID] = append(perUser[a.UserID], a.ID)
	}
	wantPerUser := map[string][]string{}
	for _, e := range want {
		if count[e.ID] != 1 {
			t.Errorf("event %s accepted %d times", e.ID, count[e.ID])
		}
		wantPerUser[e.UserID] = append(wantPerUser[e.UserID], e.ID)
	}
	if len(got) != len(want) {
		t.Errorf("accepted %d deliveries, want %d", len(got), len(want))
	}
	for u, ids := range wantPerUser {
		if !slices.Equal(perUser[u], ids) {
			t.Errorf("user %s order = %v, want %v", u, perUser[u], ids)
		}
	}
}

func TestDeliversSignedEventsToEveryReceiver(t *testing.T) {
	st := sqliteOutbox(t)
	r1, r2 := newReceiver(t, testSecret, 0), newReceiver(t, testSecret, 0)
	evs := recordEvents(t, st, 2, 2)
	d := newDispatcher(t, st, Config{URLs: []string{r1.URL, r2.URL}})
	runUntil(t, func() bool {
		a, _ := r1.got()
		b, _ := r2.got()
		return len(a) == len(evs) && len(b) == len(evs)
	}, d)
	a, _ := r1.got()
	b, _ := r2.got()
	checkOnceInOrder(t, a, evs)
	checkOnceInOrder(t, b, evs)
	if a[0].Type != "user.created" {
		t.Errorf("first type = %q", a[0].Type)
	}
	stats, _ := st.WebhookStats(t.Context())
	if stats.Pending != 0 || stats.Delivered != len(evs) {
		t.Errorf("stats = %+v", stats)
	}
}

func TestWrongSecretIsRefusedAndRetried(t *testing.T) {
	st := sqliteOutbox(t)
	r := newReceiver(t, "whsec_"+"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", 0) // another secret
	recordEvents(t, st, 1, 1)
	d := newDispatcher(t, st, Config{URLs: []string{r.URL}})
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, refused := r.got()
	if len(got) != 0 || refused != 1 {
		t.Fatalf("accepted %v, refused %d; want a refused signature", got, refused)
	}
	stats, _ := st.WebhookStats(t.Context())
	if stats.Pending != 1 {
		t.Errorf("a refused event must stay pending: %+v", stats)
	}
}

func TestFailingReceiverRecoversOnceEachInOrder(t *testing.T) {
	st := sqliteOutbox(t)
	r := newReceiver(t, testSecret, 5)
	evs := recordEvents(t, st, 3, 3)
	d := newDispatcher(t, st, Config{URLs: []string{r.URL}})
	runUntil(t, func() bool { a, _ := r.got(); return len(a) == len(evs) }, d)
	a, _ := r.got()
	checkOnceInOrder(t, a, evs)
}

func TestDeadAfterRetryWindowThenReplay(t *testing.T) {
	st := sqliteOutbox(t)
	r := newReceiver(t, testSecret, 1000)
	evs := recordEvents(t, st, 1, 2)
	d := newDispatcher(t, st, Config{URLs: []string{r.URL}, RetryFor: 100 * time.Millisecond})
	runUntil(t, func() bool { s, _ := st.WebhookStats(t.Context()); return s.Dead == 2 }, d)
	dead, err := st.DeadWebhookEvents(t.Context(), 10)
	if err != nil || len(dead) != 2 || dead[0].LastError == "" {
		t.Fatalf("dead = %+v, %v", dead, err)
	}
	r.mu.Lock()
	r.failFirst = 0
	r.mu.Unlock()
	if n, err := st.ReplayWebhookEvents(t.Context(), nil, time.Now()); err != nil || n != 2 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	runUntil(t, func() bool { a, _ := r.got(); return len(a) == 2 }, d)
	a, _ := r.got()
	checkOnceInOrder(t, a, evs)
}

// TestDeliveredAfterACrashBetweenCommitAndDelivery: a dispatcher that
// leased events and died (kill -9) leaves them leased; another dispatcher
// (or the restarted one) delivers them once the lease ends.
func TestDeliveredAfterACrashBetweenCommitAndDelivery(t *testing.T) {
	st := sqliteOutbox(t)
	r := newReceiver(t, testSecret, 0)
	evs := recordEvents(t, st, 2, 1)
	claimed, err := st.ClaimWebhookEvents(t.Context(), "crashed", time.Now(), 300*time.Millisecond, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	d := newDispatcher(t, st, Config{URLs: []string{r.URL}})
	if n, _ := d.RunOnce(t.Context()); n != 0 {
		t.Fatalf("claimed %d leased events", n)
	}
	runUntil(t, func() bool { a, _ := r.got(); return len(a) == 2 }, d)
	a, _ := r.got()
	checkOnceInOrder(t, a, evs)
}

// TestTwoDispatchersOnOnePostgres: two instances share the outbox; every
// event goes out once, in order per user.
func TestTwoDispatchersOnOnePostgres(t *testing.T) {
	url := services.Postgres(t)
	st1, st2 := openOutbox(t, url), openOutbox(t, url)
	r := newReceiver(t, testSecret, 0)
	evs := recordEvents(t, st1, 8, 5)
	d1 := newDispatcher(t, st1, Config{URLs: []string{r.URL}, Batch: 3})
	d2 := newDispatcher(t, st2, Config{URLs: []string{r.URL}, Batch: 3})
	runUntil(t, func() bool { a, _ := r.got(); return len(a) >= len(evs) }, d1, d2)
	time.Sleep(100 * time.Millisecond) // a duplicate would arrive now
	a, _ := r.got()
	checkOnceInOrder(t, a, evs)
}
