package wiring

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authd/authd/domain"
)

// codeSecret is the HMAC key for code digests: AUTHD_CODE_SECRET, or one
// generated once and kept under the data dir so codes survive a restart.
// Instances sharing a Redis must share the secret too.
func codeSecret(s Settings) ([]byte, error) {
	if s.CodeSecret != "" {
		if len(s.CodeSecret) < 16 {
			return nil, &domain.ConfigError{Key: "AUTHD_CODE_SECRET", Msg: "must be at least 16 characters"}
		}
		return []byte(s.CodeSecret), nil
	}
	path := filepath.Join(s.DataDir, "code-secret")
	if b, err := os.ReadFile(path); err == nil {
		return decodeSecret(path, b)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: err.Error()}
	}
	if err := os.MkdirAll(s.DataDir, 0o700); err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: err.Error()}
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	// Write aside, then link into place: link fails if another process won
	// the race, and then its secret is the one to use. Readers never see a
	// half-written file.
	tmp, err := os.CreateTemp(s.DataDir, ".code-secret-*")
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: err.Error()}
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(b[:]) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if !errors.Is(err, os.ErrExist) {
			return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: err.Error()}
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return decodeSecret(path, raw)
	}
	return b[:], nil
}

func decodeSecret(path string, raw []byte) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(b) < 16 {
		return nil, &domain.ConfigError{Key: "AUTHD_DATA_DIR", Msg: fmt.Sprintf("%s is not a valid code secret", path)}
	}
	return b, nil
}
