package jwttokens

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Rotation configures the rotating keys of the default setup (no
// AUTHD_JWT_KEY_FILE): keys in ports.SigningKeys, private halves sealed.
type Rotation struct {
	// Secret is what the key-encryption key is derived from:
	// AUTHD_JWT_KEY_ENCRYPTION_KEY, or else the code secret (wiring picks).
	Secret []byte
	// PollInterval is AUTHD_JWT_KEY_POLL_INTERVAL: how often, at most, an
	// instance reloads the keys (each wait is jittered down to half of it
	// so that instances do not query in step). 0 means DefaultPollInterval.
	PollInterval time.Duration
}

// DefaultPollInterval keeps a rotation's activation delay (the interval
// plus the clock skew) well inside the promised 60 seconds.
const DefaultPollInterval = 20 * time.Second

// maxPollInterval bounds the interval so that ActivationDelay stays at or
// under the 60 seconds API.md promises.
const maxPollInterval = 55 * time.Second

// Validate checks the interval.
func (r Rotation) Validate() error {
	if r.PollInterval < 0 || (r.PollInterval > 0 && r.PollInterval < 100*time.Millisecond) || r.PollInterval > maxPollInterval {
		return &domain.ConfigError{Key: "AUTHD_JWT_KEY_POLL_INTERVAL", Msg: "must be between 100ms and 55s"}
	}
	return nil
}

func (r Rotation) withDefaults() Rotation {
	if r.PollInterval == 0 {
		r.PollInterval = DefaultPollInterval
	}
	return r
}

// ActivationDelay is how long a rotated key is only published before it
// signs: one full poll interval (every instance has reloaded and publishes
// it by then) plus the clock skew allowed between instances. So no instance
// ever receives a token signed with a key it does not know yet, and a
// resource server that refetches the JWKS on an unknown kid finds it.
func ActivationDelay(pollInterval time.Duration) time.Duration {
	if pollInterval == 0 {
		pollInterval = DefaultPollInterval
	}
	return pollInterval + skew
}

// keyring keeps a Tokens' key set in step with the store.
type keyring struct {
	store   ports.SigningKeys
	sealer  *Sealer
	poll    time.Duration
	dataDir string
	log     *slog.Logger

	mu      sync.Mutex                    // serialises reloads
	private map[string]ed25519.PrivateKey // opened keys by kid, so a reload decrypts only new ones

	stop chan struct{}
	done chan struct{}
}

// NewRotating returns Tokens whose keys live in store. Nothing is loaded
// until Start, which fx runs after the store's own start (migrations).
func NewRotating(cfg Config, rot Rotation, store ports.SigningKeys, log *slog.Logger) (*Tokens, error) {
	if err := errors.Join(cfg.Validate(), rot.Validate()); err != nil {
		return nil, err
	}
	cfg, rot = cfg.withDefaults(), rot.withDefaults()
	sealer, err := NewSealer(rot.Secret)
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_JWT_KEY_ENCRYPTION_KEY", Msg: err.Error()}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tokens{issuer: cfg.Issuer, audience: cfg.Audience, ttl: cfg.AccessTTL,
		ring: &keyring{store: store, sealer: sealer, poll: rot.PollInterval, dataDir: cfg.DataDir, log: log,
			private: map[string]ed25519.PrivateKey{}}}, nil
}

// Start makes sure a first key exists (importing the key an earlier
// version generated under the data dir, so its tokens stay valid), loads
// the keys and starts polling for rotations.
func (t *Tokens) Start(ctx context.Context) error {
	r := t.ring
	if r == nil {
		return nil
	}
	if err := EnsureFirstKey(ctx, r.store, r.sealer, r.dataDir, time.Now(), r.log); err != nil {
		return err
	}
	if err := t.reload(ctx, time.Now()); err != nil {
		return err
	}
	if _, err := t.keys.Load().signerAt(time.Now()); err != nil {
		return &domain.ConfigError{Key: "AUTHD_JWT_KEY_ENCRYPTION_KEY",
			Msg: "no stored signing key can be decrypted: the key-encryption secret differs from the one that sealed them"}
	}
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go t.pollLoop()
	return nil
}

// Stop ends polling.
func (t *Tokens) Stop(context.Context) error {
	if t.ring == nil || t.ring.stop == nil {
		return nil
	}
	close(t.ring.stop)
	<-t.ring.done
	return nil
}

func (t *Tokens) pollLoop() {
	r := t.ring
	defer close(r.done)
	for {
		timer := time.NewTimer(jitter(r.poll))
		select {
		case <-r.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := t.reload(ctx, time.Now()); err != nil {
			// The last good set keeps serving; the next poll tries again.
			r.log.Warn("reload signing keys", "err", err)
		}
		cancel()
	}
}

// jitter is a wait uniform in [d/2, d].
func jitter(d time.Duration) time.Duration {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(d/2)+1))
	if err != nil {
		return d
	}
	return d/2 + time.Duration(n.Int64())
}

// EnsureFirstKey stores generation 1 when the store has no key: the key
// file that versions before key rotation generated under dataDir, if there
// is one (its tokens stay valid across the upgrade), else a new key.
// Concurrent first starts race on generation 1 and all but one lose,
// harmlessly. `authd keys rotate` calls it too, so a rotation before the
// first start does not orphan the old key.
func EnsureFirstKey(ctx context.Context, store ports.SigningKeys, sealer *Sealer, dataDir string, now time.Time, log *slog.Logger) error {
	keys, err := store.ListSigningKeys(ctx)
	if err != nil || len(keys) > 0 {
		return err
	}
	priv, imported, err := legacyKey(dataDir)
	if err != nil {
		return err
	}
	if priv == nil {
		if _, priv, err = ed25519.GenerateKey(rand.Reader); err != nil {
			return err
		}
	}
	k, err := sealedKey(sealer, priv, 1, now, now)
	if err != nil {
		return err
	}
	switch err := store.AddSigningKey(ctx, k); {
	case errors.Is(err, ports.ErrSigningKeyTaken):
		return nil
	case err != nil:
		return err
	}
	if imported {
		log.Info("imported the signing key from the data dir into the database", "kid", k.ID)
	} else {
		log.Info("generated the first signing key", "kid", k.ID)
	}
	return nil
}

// legacyKey reads the key file that versions before key rotation generated
// under dataDir, if it exists.
func legacyKey(dataDir string) (ed25519.PrivateKey, bool, error) {
	path := filepath.Join(dataDir, generatedKeyName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: fmt.Sprintf("read %s: %v", path, err)}
	}
	priv, err := parseKeyPEM(data)
	if err != nil {
		return nil, false, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: fmt.Sprintf("%s: %v", path, err)}
	}
	return priv, true, nil
}

// sealedKey is priv as the store keeps it.
func sealedKey(sealer *Sealer, priv ed25519.PrivateKey, gen int64, created, activeFrom time.Time) (ports.SigningKey, error) {
	pub, _ := priv.Public().(ed25519.PublicKey)
	kid, err := thumbprint(pub)
	if err != nil {
		return ports.SigningKey{}, err
	}
	sealed, err := sealer.Seal(kid, priv.Seed())
	if err != nil {
		return ports.SigningKey{}, err
	}
	return ports.SigningKey{ID: kid, Generation: gen, Algorithm: "EdDSA", PublicKey: pub,
		SealedPrivateKey: sealed, CreatedAt: created, ActiveFrom: activeFrom}, nil
}

// reload reads the keys, prunes those whose last token has expired, and
// swaps in a new key set when anything changed (a new set starts with an
// empty verified-token cache).
func (t *Tokens) reload(ctx context.Context, now time.Time) error {
	r := t.ring
	r.mu.Lock()
	defer r.mu.Unlock()
	stored, err := r.store.ListSigningKeys(ctx)
	if err != nil {
		return err
	}
	var (
		signers   []signer
		published []publicKey
		version   strings.Builder
		opened    = map[string]ed25519.PrivateKey{}
	)
	for _, st := range Classify(stored, now, t.ttl) {
		k := st.Key
		if st.State == StateExpired {
			if err := r.store.DeleteSigningKey(ctx, k.ID); err != nil {
				r.log.Warn("prune signing key", "kid", k.ID, "err", err)
			} else {
				r.log.Info("pruned a signing key whose tokens have all expired", "kid", k.ID)
			}
			continue
		}
		pub := ed25519.PublicKey(k.PublicKey)
		if kid, err := thumbprint(pub); err != nil || kid != k.ID || k.Algorithm != "EdDSA" || len(pub) != ed25519.PublicKeySize {
			r.log.Error("skipping a malformed signing key", "kid", k.ID, "generation", k.Generation)
			continue
		}
		published = append(published, publicKey{k.ID, pub})
		fmt.Fprintf(&version, "%s@%d;", k.ID, k.ActiveFrom.UnixNano())
		priv, ok := r.private[k.ID]
		if !ok {
			seed, err := r.sealer.Open(k.ID, k.SealedPrivateKey)
			if err != nil || len(seed) != ed25519.SeedSize {
				// Still published: tokens another instance signed verify.
				r.log.Error("cannot use a signing key", "kid", k.ID, "err", errUnseal)
				continue
			}
			priv = ed25519.NewKeyFromSeed(seed)
			if !priv.Public().(ed25519.PublicKey).Equal(pub) {
				r.log.Error("signing key does not match its public key", "kid", k.ID)
				continue
			}
		}
		opened[k.ID] = priv
		version.WriteString("+;")
		signers = append(signers, signer{kid: k.ID, priv: priv, from: k.ActiveFrom, gen: k.Generation})
	}
	r.private = opened
	if cur := t.keys.Load(); cur != nil && cur.version == version.String() {
		return nil
	}
	// Newest generation first, as signerAt wants.
	for i, j := 0, len(signers)-1; i < j; i, j = i+1, j-1 {
		signers[i], signers[j] = signers[j], signers[i]
	}
	ks, err := newKeySet(signers, published, version.String())
	if err != nil {
		return err
	}
	t.keys.Store(ks)
	return nil
}

// Key states, as Classify reports them.
const (
	// StateNext is published but not signing yet (Until: when it starts).
	StateNext = "next"
	// StateSigning is the key that signs now.
	StateSigning = "signing"
	// StateRetired no longer signs but is published until its tokens have
	// expired (Until).
	StateRetired = "retired"
	// StateExpired has no live tokens left and is pruned.
	StateExpired = "expired"
)

// KeyStatus is a stored key and what it is doing at a given time.
type KeyStatus struct {
	Key   ports.SigningKey
	State string
	Until time.Time // next: signs from; retired: published until; else zero
}

// Classify says what each key (in generation order) does at now, given the
// access-token lifetime. The signing key is the newest one already active
// (or, if none is, the oldest); a key stops signing when any newer key
// becomes active, and is kept until the last token it could have signed
// has expired, clock skew included.
func Classify(keys []ports.SigningKey, now time.Time, accessTTL time.Duration) []KeyStatus {
	out := make([]KeyStatus, len(keys))
	current := 0
	for i, k := range keys {
		out[i].Key = k
		if !k.ActiveFrom.After(now) {
			current = i
		}
	}
	var replaced time.Time // the earliest activation among newer keys
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		switch {
		case i > current:
			out[i].State, out[i].Until = StateNext, k.ActiveFrom
		case i == current:
			out[i].State = StateSigning
		default:
			until := replaced.Add(accessTTL + skew)
			out[i].State, out[i].Until = StateRetired, until
			if !now.Before(until) {
				out[i].State, out[i].Until = StateExpired, time.Time{}
			}
		}
		if replaced.IsZero() || k.ActiveFrom.Before(replaced) {
			replaced = k.ActiveFrom
		}
	}
	return out
}

// Rotate stores a new key that every instance publishes at once and signs
// with from now+activateAfter (use ActivationDelay). With no key stored
// yet it is generation 1. A concurrent rotation makes it retry.
func Rotate(ctx context.Context, store ports.SigningKeys, sealer *Sealer, now time.Time, activateAfter time.Duration) (ports.SigningKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return ports.SigningKey{}, err
	}
	for range 5 {
		keys, err := store.ListSigningKeys(ctx)
		if err != nil {
			return ports.SigningKey{}, err
		}
		gen := int64(1)
		if len(keys) > 0 {
			gen = keys[len(keys)-1].Generation + 1
		}
		k, err := sealedKey(sealer, priv, gen, now, now.Add(activateAfter))
		if err != nil {
			return ports.SigningKey{}, err
		}
		err = store.AddSigningKey(ctx, k)
		if !errors.Is(err, ports.ErrSigningKeyTaken) {
			return k, err
		}
	}
	return ports.SigningKey{}, errors.New("jwttokens: rotation kept losing to concurrent rotations")
}

// RotatingModule supplies the configs and provides rotating *Tokens as
// ports.Tokens and as itself, started after the store (which it needs) and
// stopped before it.
func RotatingModule(cfg Config, rot Rotation) fx.Option {
	return fx.Module("jwttokens",
		fx.Supply(cfg, rot),
		fx.Provide(fx.Annotate(NewRotating, fx.As(fx.Self()), fx.As(new(ports.Tokens)),
			fx.OnStart(func(ctx context.Context, t *Tokens) error { return t.Start(ctx) }),
			fx.OnStop(func(ctx context.Context, t *Tokens) error { return t.Stop(ctx) }),
		)),
	)
}
