package wiring

import (
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/domain"
)

// JWTConfig maps the token settings.
func JWTConfig(s Settings) jwttokens.Config {
	return jwttokens.Config{Issuer: s.JWTIssuer, Audience: s.JWTAudience, AccessTTL: s.JWTAccessTTL,
		KeyFile: s.JWTKeyFile, DataDir: s.DataDir}
}

// JWTRotation is the configuration of rotating keys. The key-encryption
// secret is AUTHD_JWT_KEY_ENCRYPTION_KEY or, when unset, the code secret:
// every instance already shares that one (codes cross instances through
// Redis), and the token adapter derives its key with an HKDF label of its
// own, so the two uses never share a key.
func JWTRotation(s Settings) (jwttokens.Rotation, error) {
	secret := []byte(s.JWTKeyEncryptionKey)
	if len(secret) == 0 {
		var err error
		if secret, err = codeSecret(s); err != nil {
			return jwttokens.Rotation{}, err
		}
	} else if len(secret) < 16 {
		return jwttokens.Rotation{}, &domain.ConfigError{Key: "AUTHD_JWT_KEY_ENCRYPTION_KEY", Msg: "must be at least 16 characters"}
	}
	rot := jwttokens.Rotation{Secret: secret, PollInterval: s.JWTKeyPollInterval}
	return rot, rot.Validate()
}

// jwtModule keeps a configured key file exactly as before (one fixed key);
// otherwise keys live in the database and rotate.
func jwtModule(s Settings, cfg jwttokens.Config) (fx.Option, error) {
	if s.JWTKeyFile != "" {
		return jwttokens.Module(cfg), nil
	}
	rot, err := JWTRotation(s)
	if err != nil {
		return nil, err
	}
	return jwttokens.RotatingModule(cfg, rot), nil
}
