package jwttokens

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jwt"
	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestGeneratedKeySurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "nested")
	first := newTestTokens(t, Config{DataDir: dir})
	at, _ := first.IssueAccess(ctx, "u", "s", t0)

	path := filepath.Join(dir, generatedKeyName)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %v, want 0700", di.Mode().Perm())
	}

	second := newTestTokens(t, Config{DataDir: dir})
	if second.KeyID() != first.KeyID() {
		t.Fatal("restart generated a new key")
	}
	if _, err := second.VerifyAccess(ctx, at.Token, t0); err != nil {
		t.Fatalf("token from before the restart: %v", err)
	}
}

func TestConcurrentFirstStartsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	kids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tk, err := New(Config{DataDir: dir}, discard())
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = tk.KeyID()
		})
	}
	wg.Wait()
	for _, k := range kids {
		if k != kids[0] {
			t.Fatalf("instances disagree on the key: %v", kids)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != generatedKeyName {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("data dir holds %v, want only %s", names, generatedKeyName)
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	pemData, err := GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(path, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	priv, err := parseKeyPEM(pemData)
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	tk := newTestTokens(t, Config{KeyFile: path, DataDir: dataDir})
	if !tk.fixedKey().Equal(priv) {
		t.Fatal("the key file was not used")
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a key was generated although AUTHD_JWT_KEY_FILE is set")
	}
}

func TestBadKeysStopTheStart(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	_, edKey, _ := ed25519.GenerateKey(nil)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edKey)

	corruptDir := filepath.Join(dir, "corrupt")
	_ = os.MkdirAll(corruptDir, 0o700)
	write(filepath.Join("corrupt", generatedKeyName), []byte("garbage"))
	notADir := write("file", []byte("x"))

	for name, tt := range map[string]struct {
		cfg     Config
		wantKey string
	}{
		"missing file":       {Config{KeyFile: filepath.Join(dir, "nope.pem")}, "AUTHD_JWT_KEY_FILE"},
		"not PEM":            {Config{KeyFile: write("junk.pem", []byte("hello"))}, "AUTHD_JWT_KEY_FILE"},
		"EC key":             {Config{KeyFile: write("ec.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))}, "AUTHD_JWT_KEY_FILE"},
		"wrong block type":   {Config{KeyFile: write("pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: edDER}))}, "AUTHD_JWT_KEY_FILE"},
		"truncated DER":      {Config{KeyFile: write("short.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER[:20]}))}, "AUTHD_JWT_KEY_FILE"},
		"corrupt generated":  {Config{DataDir: corruptDir}, "AUTHD_JWT_KEY_FILE"},
		"data dir is a file": {Config{DataDir: notADir}, "AUTHD_DATA_DIR"},
		"negative TTL":       {Config{DataDir: dir, AccessTTL: -time.Minute}, "AUTHD_JWT_ACCESS_TTL"},
		"TTL under a second": {Config{DataDir: dir, AccessTTL: time.Millisecond}, "AUTHD_JWT_ACCESS_TTL"},
	} {
		_, err := New(tt.cfg, discard())
		var ce *domain.ConfigError
		if !errors.As(err, &ce) || ce.Key != tt.wantKey {
			t.Errorf("%s: New = %v, want ConfigError for %s", name, err, tt.wantKey)
		}
	}
}

func TestJWKS(t *testing.T) {
	ctx := context.Background()
	tk := newTestTokens(t, Config{})
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(tk.JWKS(), &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("JWKS %s: %v", tk.JWKS(), err)
	}
	pub := tk.fixedKey().Public().(ed25519.PublicKey)
	want := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(pub),
		"kid": tk.KeyID(), "alg": "EdDSA", "use": "sig"}
	if len(doc.Keys[0]) != len(want) {
		t.Errorf("JWK has members %v, want exactly %v", doc.Keys[0], want)
	}
	for k, v := range want {
		if doc.Keys[0][k] != v {
			t.Errorf("JWK %s = %v, want %v", k, doc.Keys[0][k], v)
		}
	}

	// A third party with nothing but the JWKS verifies our tokens.
	set, err := jwk.Parse(tk.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	at, _ := tk.IssueAccess(ctx, "u", "s", time.Now())
	if _, err := jwt.ParseString(at.Token, jwt.WithKeySet(set)); err != nil {
		t.Fatalf("verify with the JWKS alone: %v", err)
	}
}

func TestModule(t *testing.T) {
	var port ports.Tokens
	var concrete *Tokens
	app := fx.New(Module(Config{DataDir: t.TempDir()}), fx.Supply(discard()), fx.NopLogger,
		fx.Populate(&port, &concrete))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if port == nil || concrete == nil || len(concrete.JWKS()) == 0 {
		t.Fatal("Tokens not provided as the port and as itself")
	}
}
