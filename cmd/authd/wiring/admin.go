package wiring

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/adminapi"
	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/webhooks"
	"github.com/authd/authd/app"
	"github.com/authd/authd/ports"
)

// WebhooksConfig maps the webhook settings.
func WebhooksConfig(s Settings) webhooks.Config {
	return webhooks.Config{URLs: s.WebhookURLs, Secret: s.WebhookSecret}
}

// adminModule provides the admin API (*adminapi.API, which the admin
// listener registers at adminapi.Prefix), its use cases, and the webhook
// dispatcher when receivers are configured.
//
// MERGE NOTE: the store is bound here to the admin ports. When the
// "accounts" work binds ports.Events, or brings its own adapters for
// ports.UserSessions, ports.AccountDeletion and ports.SessionStatus (session
// records, the ended-session check), drop the matching lines below and let
// theirs serve: bunstore's versions read refresh-token families.
func adminModule(s Settings) (fx.Option, error) {
	whCfg := WebhooksConfig(s)
	if err := whCfg.Validate(); err != nil {
		return nil, err
	}
	introspect := app.IntrospectConfig{Issuer: s.JWTIssuer, Audience: s.JWTAudience}
	return fx.Module("admin",
		fx.Provide(
			func(st *bunstore.Store) ports.Events { return st },
			func(st *bunstore.Store) ports.AdminKeys { return st },
			func(st *bunstore.Store) ports.AdminUsers { return st },
			func(st *bunstore.Store) ports.UserSessions { return st },
			func(st *bunstore.Store) ports.AccountDeletion { return st },
			func(st *bunstore.Store) ports.SessionStatus { return st },
			func(st *bunstore.Store) ports.SMSAttempts { return st },
			func(st *bunstore.Store) ports.WebhookOutbox { return st },
		),
		fx.Provide(
			app.NewAdminKeys, app.NewAdminLogs,
			newAdminUsers,
			func(t ports.Tokens, r ports.RefreshTokens, u ports.Users, ss ports.SessionStatus, c ports.Clock) *app.Introspect {
				return app.NewIntrospect(introspect, t, r, u, ss, c)
			},
			func(k *app.AdminKeys, u *app.AdminUsers, l *app.AdminLogs, i *app.Introspect, log *slog.Logger) *adminapi.API {
				return adminapi.New(adminapi.Deps{Keys: k, Users: u, Logs: l, Introspect: i, Log: log})
			},
		),
		// The admin listener mounts the API at adminapi.Prefix.
		fx.Provide(httpapi.AsAdminRoutes(func(a *adminapi.API) *adminapi.API { return a })),
		webhooks.Module(whCfg),
	), nil
}

// adminUsersDeps lets fx fill app.AdminUsersDeps, which knows nothing of fx.
type adminUsersDeps struct {
	fx.In
	Users     ports.Users
	Admin     ports.AdminUsers
	Sessions  ports.UserSessions
	Deletion  ports.AccountDeletion
	Ended     ports.EndedSessions
	Phones    ports.PhoneParser
	Passwords ports.Passwords
	Strength  ports.PasswordStrength
	IDs       ports.IDs
	Clock     ports.Clock
}

func newAdminUsers(d adminUsersDeps) *app.AdminUsers {
	return app.NewAdminUsers(app.AdminUsersDeps{Users: d.Users, Admin: d.Admin, Sessions: d.Sessions, Deletion: d.Deletion, Ended: d.Ended,
		Phones: d.Phones, Passwords: d.Passwords, Strength: d.Strength, IDs: d.IDs, Clock: d.Clock})
}
