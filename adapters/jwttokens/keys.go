package jwttokens

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/authd/authd/domain"
)

// generatedKeyName is the file a generated key is kept in, under DataDir.
const generatedKeyName = "jwt-ed25519.pem"

// GenerateKeyPEM returns a new Ed25519 private key as PEM PKCS#8, the form
// AUTHD_JWT_KEY_FILE takes.
func GenerateKeyPEM() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("marshal ed25519 key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// parseKeyPEM reads one PEM PKCS#8 Ed25519 private key.
func parseKeyPEM(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New(`no "PRIVATE KEY" PEM block`)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key is %T, want Ed25519", key)
	}
	return priv, nil
}

// loadKey returns the configured key, or the one kept in DataDir, making it
// on first use. cfg has its defaults.
func loadKey(cfg Config, log *slog.Logger) (ed25519.PrivateKey, error) {
	path := cfg.KeyFile
	if path == "" {
		path = filepath.Join(cfg.DataDir, generatedKeyName)
		created, err := ensureKeyFile(path)
		if err != nil {
			return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: fmt.Sprintf("keep a generated JWT key: %v", err)}
		}
		if created {
			log.Info("generated a JWT signing key; set AUTHD_JWT_KEY_FILE to manage it yourself", "path", path)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_JWT_KEY_FILE", Msg: fmt.Sprintf("read signing key: %v", err)}
	}
	priv, err := parseKeyPEM(data)
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_JWT_KEY_FILE",
			Msg: fmt.Sprintf("%s: want a PEM PKCS#8 Ed25519 private key (authd keys generate): %v", path, err)}
	}
	return priv, nil
}

// ensureKeyFile creates path with a new key unless it exists. Instances
// starting together on one data dir must agree on one key, so the key is
// written in full to a temporary file and then hard-linked into place: the
// link fails if another instance got there first, and the file is never
// seen half-written. The loser simply reads the winner's key.
func ensureKeyFile(path string) (created bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	data, err := GenerateKeyPEM()
	if err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(dir, ".jwt-ed25519-*.tmp") // mode 0600
	if err != nil {
		return false, err
	}
	// The link, if made, is a second name: the temporary one always goes.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return false, err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
