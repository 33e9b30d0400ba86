package wiring

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/authd/authd/adapters/argon2hash"
	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/strength"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

// Modules is the one place where configuration picks the adapters: the
// database by URL scheme, the code store by whether Redis is configured,
// the SMS vendors by AUTHD_SMS_PROVIDERS.
func Modules(s Settings, stdout io.Writer) (fx.Option, error) {
	appCfg, err := appConfig(s)
	if err != nil {
		return nil, err
	}
	codes := memcode.Module()
	if s.RedisURL != "" {
		rc := rediscode.Config{URL: s.RedisURL, KeyPrefix: s.RedisKeyPrefix}
		if err := rc.Validate(); err != nil {
			return nil, err
		}
		codes = rediscode.Module(rc)
	}
	smsCfg, err := SMSConfig(s, stdout)
	if err != nil {
		return nil, err
	}
	jwtCfg := JWTConfig(s)
	tokens, err := jwtModule(s, jwtCfg)
	if err != nil {
		return nil, err
	}
	httpCfg := httpapi.DefaultConfig()
	httpCfg.Addr, httpCfg.TrustedProxies, httpCfg.ReceiptSecret = s.HTTPAddr, s.TrustedProxies, s.SMSReceiptSecret
	if err := initialPasswordTemplates(s, smsCfg.ProviderNames()); err != nil {
		return nil, err
	}
	storeCfg := StoreConfig(s)
	strengthCfg := strength.Config{MinScore: s.PasswordMinScore}
	for _, v := range []interface{ Validate() error }{storeCfg, smsCfg, jwtCfg, httpCfg, strengthCfg} {
		if err := v.Validate(); err != nil {
			return nil, err
		}
	}
	return fx.Options(
		fx.Supply(appCfg),
		fx.Provide(newLogger(s, stdout), newRegistry),
		fx.WithLogger(func() fxevent.Logger { return fxevent.NopLogger }),
		system.Module(),
		phonenum.Module(phonenum.Config{DefaultRegion: s.SMSDefaultRegion}),
		argon2hash.Module(argon2hash.Config{Concurrency: s.HashConcurrency, QueueTimeout: s.HashQueueTimeout}),
		strength.Module(strengthCfg),
		tokens,
		fx.Provide(func(t *jwttokens.Tokens) httpapi.KeySet { return t }),
		bunstore.Module(storeCfg),
		codes,
		sms.Module(smsCfg),
		fx.Provide(func(r *sms.Receipts) httpapi.Receipts { return r }),
		useCases,
		httpapi.Module(httpCfg),
		pprofModule(s.PprofAddr),
	), nil
}

// useCases provides every use case; app itself knows nothing of fx. At
// stop, reset texts still being sent in the background are waited for.
var useCases = fx.Module("app", fx.Provide(
	app.NewSessions, app.NewCodeVerifier, app.NewPasswords, app.NewInitialPassword,
	app.NewRequestCode, app.NewLoginOrRegister, app.NewPasswordLogin,
	app.NewRefreshSession, app.NewLogout, app.NewSetPassword, app.NewResetPassword,
	app.NewCheckPhone, app.NewGetProfile, app.NewUpdateProfile,
), fx.Invoke(func(lc fx.Lifecycle, rc *app.RequestCode) {
	lc.Append(fx.Hook{OnStop: rc.Wait})
}))

// StoreConfig maps the database settings; the default is SQLite under the
// data dir.
func StoreConfig(s Settings) bunstore.Config {
	url := s.DatabaseURL
	if url == "" {
		url = "sqlite:" + filepath.Join(s.DataDir, "authd.db")
	}
	return bunstore.Config{DatabaseURL: url, MaxOpenConns: s.DatabaseConns}
}

// appConfig maps settings into the use cases' config, validating as it goes.
func appConfig(s Settings) (app.Config, error) {
	policy := domain.CodePolicy{Length: s.CodeLength, TTL: s.CodeTTL, ResendAfter: s.CodeResendAfter,
		MaxAttempts: s.CodeMaxAttempts, HourlyLimit: s.CodeHourlyLimit, DailyLimit: s.CodeDailyLimit}
	if err := policy.Validate(); err != nil {
		return app.Config{}, &domain.ConfigError{Key: "AUTHD_CODE_*", Msg: err.Error()}
	}
	regions, err := phonenum.ParseRegions(s.SMSAllowedRegions)
	if err != nil {
		return app.Config{}, &domain.ConfigError{Key: "AUTHD_SMS_ALLOWED_REGIONS", Msg: err.Error()}
	}
	for key, n := range map[string]int{"AUTHD_IP_CODE_LIMIT": s.IPCodeLimit, "AUTHD_IP_LOGIN_LIMIT": s.IPLoginLimit,
		"AUTHD_LOGIN_FAILURE_LIMIT": s.LoginFailureLimit, "AUTHD_PHONE_LOOKUP_LIMIT": s.PhoneLookupLimit} {
		if n < 1 {
			return app.Config{}, &domain.ConfigError{Key: key, Msg: "must be at least 1"}
		}
	}
	if s.JWTRefreshTTL <= 0 {
		return app.Config{}, &domain.ConfigError{Key: "AUTHD_JWT_REFRESH_TTL", Msg: "must be positive"}
	}
	secret, err := codeSecret(s)
	if err != nil {
		return app.Config{}, err
	}
	return app.Config{Code: policy, CodeSecret: secret, Regions: regions,
		IPCodeLimit: s.IPCodeLimit, IPLoginLimit: s.IPLoginLimit, LoginFailureLimit: s.LoginFailureLimit,
		PhoneLookupLimit: s.PhoneLookupLimit, RefreshTTL: s.JWTRefreshTTL,
		ExposePhoneLookup: s.ExposePhoneLookup, SendInitialPassword: s.SendInitialPassword}, nil
}

func newLogger(s Settings, stdout io.Writer) func() (*slog.Logger, error) {
	return func() (*slog.Logger, error) {
		var level slog.Level
		if err := level.UnmarshalText([]byte(strings.ToUpper(s.LogLevel))); err != nil {
			return nil, &domain.ConfigError{Key: "AUTHD_LOG_LEVEL", Msg: fmt.Sprintf("want debug, info, warn or error, got %q", s.LogLevel)}
		}
		return slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: level})), nil
	}
}

// newRegistry is a private Prometheus registry (no global state) with the
// Go runtime and process collectors.
func newRegistry() (prometheus.Registerer, prometheus.Gatherer) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg, reg
}

// initialPasswordTemplates: texting an initial password needs a template at
// every vendor that may carry it; without one each registration would fail
// at that vendor and count against its circuit breaker.
func initialPasswordTemplates(s Settings, providers []string) error {
	if !s.SendInitialPassword {
		return nil
	}
	for _, p := range providers {
		switch {
		case p == "tencent" && s.TencentTemplateInitial == "":
			return &domain.ConfigError{Key: "AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD",
				Msg: "required when AUTHD_REGISTRATION_SEND_INITIAL_PASSWORD is true"}
		case p == "aliyun" && s.AliyunTemplateInitial == "":
			return &domain.ConfigError{Key: "AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD",
				Msg: "required when AUTHD_REGISTRATION_SEND_INITIAL_PASSWORD is true"}
		}
	}
	return nil
}
