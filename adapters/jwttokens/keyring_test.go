package jwttokens

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

var testSecret = []byte("key-encryption-secret-0123456789")

// newRing returns rotating Tokens on store, started, with a long poll (the
// tests reload by hand at chosen times) unless poll is set.
func newRing(t *testing.T, store ports.SigningKeys, dataDir string, poll time.Duration) *Tokens {
	t.Helper()
	if poll == 0 {
		poll = maxPollInterval
	}
	tk, err := NewRotating(Config{DataDir: dataDir, AccessTTL: time.Hour}, Rotation{Secret: testSecret, PollInterval: poll}, store, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tk.Stop(context.Background()) })
	return tk
}

func jwksKids(t *testing.T, tk *Tokens) []string {
	t.Helper()
	var doc struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(tk.JWKS(), &doc); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range doc.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

func kidOf(t *testing.T, token string) string {
	t.Helper()
	encoded, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	var h header
	if err != nil || json.Unmarshal(raw, &h) != nil {
		t.Fatalf("undecodable header of %q", token)
	}
	return h.Kid
}

func TestSealer(t *testing.T) {
	s, err := NewSealer(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("0123456789abcdef0123456789abcdef")
	sealed, err := s.Seal("kid-1", plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain) {
		t.Fatal("sealed key holds the plain key")
	}
	if got, err := s.Open("kid-1", sealed); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := NewSealer([]byte("another-secret-of-enough-length"))
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	tests := []struct {
		name   string
		sealer *Sealer
		kid    string
		sealed []byte
	}{
		{"wrong secret", other, "kid-1", sealed},
		{"another row's kid", s, "kid-2", sealed},
		{"tampered", s, "kid-1", flipped},
		{"truncated", s, "kid-1", sealed[:10]},
		{"empty", s, "kid-1", nil},
		{"unknown version", s, "kid-1", append([]byte{9}, sealed[1:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.sealer.Open(tt.kid, tt.sealed); !errors.Is(err, errUnseal) {
				t.Fatalf("err = %v, want errUnseal", err)
			}
		})
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Fatal("a short secret was accepted")
	}
}

func TestClassify(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ttl := 15 * time.Minute
	key := func(gen int64, active time.Time) ports.SigningKey {
		return ports.SigningKey{ID: string(rune('a' + gen)), Generation: gen, ActiveFrom: active}
	}
	retiredUntil := func(replaced time.Time) time.Time { return replaced.Add(ttl + skew) }
	tests := []struct {
		name      string
		keys      []ports.SigningKey
		now       time.Time
		wantState []string
		wantUntil []time.Time
	}{
		{"one key", []ports.SigningKey{key(1, t0)}, t0, []string{StateSigning}, []time.Time{{}}},
		{"first key ahead of this clock signs anyway", []ports.SigningKey{key(1, t0.Add(time.Second))}, t0,
			[]string{StateSigning}, []time.Time{{}}},
		{"rotated, not active yet", []ports.SigningKey{key(1, t0), key(2, t0.Add(time.Minute))}, t0.Add(30 * time.Second),
			[]string{StateSigning, StateNext}, []time.Time{{}, t0.Add(time.Minute)}},
		{"rotated and active", []ports.SigningKey{key(1, t0), key(2, t0.Add(time.Minute))}, t0.Add(time.Minute),
			[]string{StateRetired, StateSigning}, []time.Time{retiredUntil(t0.Add(time.Minute)), {}}},
		{"retired key's tokens all expired", []ports.SigningKey{key(1, t0), key(2, t0.Add(time.Minute))},
			retiredUntil(t0.Add(time.Minute)), []string{StateExpired, StateSigning}, []time.Time{{}, {}}},
		{"a later rotation activating earlier retires both older keys from then",
			[]ports.SigningKey{key(1, t0), key(2, t0.Add(time.Hour)), key(3, t0.Add(time.Minute))}, t0.Add(2 * time.Minute),
			[]string{StateRetired, StateRetired, StateSigning},
			[]time.Time{retiredUntil(t0.Add(time.Minute)), retiredUntil(t0.Add(time.Minute)), {}}},
		{"no keys", nil, t0, []string{}, []time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.keys, tt.now, ttl)
			if len(got) != len(tt.wantState) {
				t.Fatalf("%d statuses for %d keys", len(got), len(tt.keys))
			}
			for i, st := range got {
				if st.State != tt.wantState[i] || !st.Until.Equal(tt.wantUntil[i]) {
					t.Errorf("key %d: %s until %v, want %s until %v", i, st.State, st.Until, tt.wantState[i], tt.wantUntil[i])
				}
			}
		})
	}
}

// TestRotationAcrossInstances runs two instances on one store through a
// rotation: the new key is published at both before either signs with it,
// both switch at its activation, tokens of either key verify at both, and
// the old key goes once its last token has expired.
func TestRotationAcrossInstances(t *testing.T) {
	ctx := t.Context()
	store := &portstest.SigningKeys{}
	a, b := newRing(t, store, t.TempDir(), 0), newRing(t, store, t.TempDir(), 0)
	now := time.Now()
	oldKid := a.KeyID()
	if oldKid == "" || b.KeyID() != oldKid {
		t.Fatalf("instances start on different keys: %q %q", oldKid, b.KeyID())
	}
	oldTok, err := a.IssueAccess(ctx, "u", "s", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.VerifyAccess(ctx, oldTok.Token, now); err != nil {
		t.Fatalf("B refuses A's token: %v", err)
	}

	sealer, _ := NewSealer(testSecret)
	delay := ActivationDelay(time.Second)
	newKey, err := Rotate(ctx, store, sealer, now, delay)
	if err != nil || newKey.Generation != 2 {
		t.Fatalf("rotate: %+v %v", newKey, err)
	}
	for _, tk := range []*Tokens{a, b} {
		if err := tk.reload(ctx, now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if kids := jwksKids(t, tk); len(kids) != 2 {
			t.Fatalf("JWKS after the rotation publishes %v, want both keys", kids)
		}
	}
	// Before activation the old key still signs.
	if at, _ := b.IssueAccess(ctx, "u", "s", now.Add(time.Second)); kidOf(t, at.Token) != oldKid {
		t.Fatal("the new key signs before its activation")
	}
	// From activation both sign with the new key, without another reload.
	at := now.Add(delay)
	tokA, _ := a.IssueAccess(ctx, "u", "s", at)
	tokB, _ := b.IssueAccess(ctx, "u", "s", at)
	if kidOf(t, tokA.Token) != newKey.ID || kidOf(t, tokB.Token) != newKey.ID {
		t.Fatal("the new key does not sign once active")
	}
	for _, tk := range []*Tokens{a, b} {
		for _, tok := range []string{oldTok.Token, tokA.Token, tokB.Token} {
			if _, err := tk.VerifyAccess(ctx, tok, at); err != nil {
				t.Fatalf("token of kid %s refused after rotation: %v", kidOf(t, tok), err)
			}
		}
	}
	// Just before the old key's last token expires it is still there...
	lastExp := at.Add(time.Hour + skew)
	if err := a.reload(ctx, lastExp.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if kids := jwksKids(t, a); len(kids) != 2 {
		t.Fatalf("old key dropped early: %v", kids)
	}
	// ...and then pruned from the store and both JWKS.
	if err := a.reload(ctx, lastExp); err != nil {
		t.Fatal(err)
	}
	if err := b.reload(ctx, lastExp); err != nil {
		t.Fatal(err)
	}
	keys, _ := store.ListSigningKeys(ctx)
	if len(keys) != 1 || keys[0].ID != newKey.ID {
		t.Fatalf("stored keys after pruning: %+v", keys)
	}
	for _, tk := range []*Tokens{a, b} {
		if kids := jwksKids(t, tk); len(kids) != 1 || kids[0] != newKey.ID {
			t.Fatalf("JWKS after pruning: %v", kids)
		}
	}
}

// TestRemovedKeyStopsVerifyingCachedTokens: a token verified (and cached)
// with a key that is then removed from the store (an operator withdrawing
// a leaked key) is refused after the next reload, cache or not.
func TestRemovedKeyStopsVerifyingCachedTokens(t *testing.T) {
	ctx := t.Context()
	store := &portstest.SigningKeys{}
	tk := newRing(t, store, t.TempDir(), 0)
	now := time.Now()
	leaked := tk.KeyID()
	tok, _ := tk.IssueAccess(ctx, "u", "s", now)
	if _, err := tk.VerifyAccess(ctx, tok.Token, now); err != nil {
		t.Fatal(err)
	}
	if _, ok := tk.keys.Load().verified.get(tok.Token); !ok {
		t.Fatal("token not cached")
	}
	sealer, _ := NewSealer(testSecret)
	if _, err := Rotate(ctx, store, sealer, now, 0); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteSigningKey(ctx, leaked); err != nil {
		t.Fatal(err)
	}
	if err := tk.reload(ctx, now); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.VerifyAccess(ctx, tok.Token, now); !errors.Is(err, domain.ErrInvalidToken) {
		t.Fatalf("token of a removed key: err = %v", err)
	}
	if tk.KeyID() == leaked {
		t.Fatal("still signing with the removed key")
	}
}

func TestUnchangedKeysKeepTheCache(t *testing.T) {
	tk := newRing(t, &portstest.SigningKeys{}, t.TempDir(), 0)
	before := tk.keys.Load()
	if err := tk.reload(t.Context(), time.Now()); err != nil {
		t.Fatal(err)
	}
	if tk.keys.Load() != before {
		t.Fatal("a reload with no change swapped the key set (and emptied the cache)")
	}
}

// TestLegacyKeyImported: the key an earlier version generated under the
// data dir becomes generation 1, so its tokens still verify after the
// upgrade, and the file is only read.
func TestLegacyKeyImported(t *testing.T) {
	dir := t.TempDir()
	legacy, err := New(Config{DataDir: dir, AccessTTL: time.Hour}, discard())
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := legacy.IssueAccess(t.Context(), "u", "s", time.Now())
	store := &portstest.SigningKeys{}
	tk := newRing(t, store, dir, 0)
	if tk.KeyID() != legacy.KeyID() {
		t.Fatalf("kid %s, want the legacy key's %s", tk.KeyID(), legacy.KeyID())
	}
	if _, err := tk.VerifyAccess(t.Context(), tok.Token, time.Now()); err != nil {
		t.Fatalf("pre-upgrade token: %v", err)
	}
	keys, _ := store.ListSigningKeys(t.Context())
	if len(keys) != 1 || keys[0].Generation != 1 || bytes.Contains(keys[0].SealedPrivateKey, legacy.fixedKey().Seed()) {
		t.Fatalf("stored: %+v", keys)
	}
	if _, err := os.Stat(filepath.Join(dir, generatedKeyName)); err != nil {
		t.Fatalf("legacy file: %v", err)
	}
}

func TestNoLegacyKeyGeneratesOneAndNoFile(t *testing.T) {
	dir := t.TempDir()
	tk := newRing(t, &portstest.SigningKeys{}, dir, 0)
	if tk.KeyID() == "" {
		t.Fatal("no key")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("data dir written: %v", entries)
	}
}

func TestConcurrentFirstStartsAgreeInTheStore(t *testing.T) {
	store := &portstest.SigningKeys{}
	const n = 8
	kids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tk, err := NewRotating(Config{DataDir: t.TempDir()}, Rotation{Secret: testSecret}, store, discard())
			if err == nil {
				err = tk.Start(context.Background())
			}
			if err != nil {
				t.Error(err)
				return
			}
			defer tk.Stop(context.Background())
			kids[i] = tk.KeyID()
		})
	}
	wg.Wait()
	for _, k := range kids {
		if k == "" || k != kids[0] {
			t.Fatalf("instances disagree on the key: %v", kids)
		}
	}
}

func TestStartRefusesKeysSealedWithAnotherSecret(t *testing.T) {
	store := &portstest.SigningKeys{}
	newRing(t, store, t.TempDir(), 0)
	tk, err := NewRotating(Config{}, Rotation{Secret: []byte("a-different-secret-0123456789")}, store, discard())
	if err != nil {
		t.Fatal(err)
	}
	var cfgErr *domain.ConfigError
	if err := tk.Start(t.Context()); !errors.As(err, &cfgErr) || cfgErr.Key != "AUTHD_JWT_KEY_ENCRYPTION_KEY" {
		t.Fatalf("start = %v, want a config error naming AUTHD_JWT_KEY_ENCRYPTION_KEY", err)
	}
}

func TestStartFailsWhenTheStoreIsDown(t *testing.T) {
	tk, err := NewRotating(Config{}, Rotation{Secret: testSecret}, &portstest.SigningKeys{Err: portstest.ErrDown}, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Start(t.Context()); !errors.Is(err, portstest.ErrDown) {
		t.Fatalf("start = %v", err)
	}
}

// TestPollingPicksUpRotation: with a short interval the instance signs
// with a key rotated elsewhere without any call but the poll, and a store
// outage in between leaves the last keys serving.
func TestPollingPicksUpRotation(t *testing.T) {
	store := &portstest.SigningKeys{}
	tk := newRing(t, store, t.TempDir(), 100*time.Millisecond)
	old := tk.KeyID()
	sealer, _ := NewSealer(testSecret)
	k, err := Rotate(t.Context(), store, sealer, time.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for tk.KeyID() != k.ID {
		if time.Now().After(deadline) {
			t.Fatalf("still signing with %s (old %s), want %s", tk.KeyID(), old, k.ID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReloadErrorKeepsServing(t *testing.T) {
	store := &portstest.SigningKeys{}
	tk := newRing(t, store, t.TempDir(), 0)
	kid := tk.KeyID()
	store.Err = portstest.ErrDown
	if err := tk.reload(t.Context(), time.Now()); !errors.Is(err, portstest.ErrDown) {
		t.Fatalf("reload = %v", err)
	}
	if tk.KeyID() != kid {
		t.Fatal("keys lost while the store is down")
	}
	if _, err := tk.IssueAccess(t.Context(), "u", "s", time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestRotationValidate(t *testing.T) {
	tests := []struct {
		poll time.Duration
		ok   bool
	}{{0, true}, {100 * time.Millisecond, true}, {55 * time.Second, true}, {99 * time.Millisecond, false},
		{56 * time.Second, false}, {-time.Second, false}}
	for _, tt := range tests {
		if err := (Rotation{PollInterval: tt.poll}).Validate(); (err == nil) != tt.ok {
			t.Errorf("poll %v: err = %v", tt.poll, err)
		}
	}
}
