package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
)

// serve runs the server until SIGINT or SIGTERM; fx then runs the OnStop
// hooks, which let in-flight requests finish.
func serve(s wiring.Settings, stdout io.Writer) error {
	opts, err := wiring.Modules(s, stdout)
	if err != nil {
		return err
	}
	a := fx.New(opts, fx.StopTimeout(30*time.Second))
	if err := a.Err(); err != nil {
		return err
	}
	a.Run()
	return nil
}

// migrate applies every pending migration; running it twice, or on two
// hosts at once, is safe.
func migrate(ctx context.Context, s wiring.Settings, stdout io.Writer) error {
	st, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database schema is up to date")
	return nil
}

func openStore(ctx context.Context, s wiring.Settings) (*bunstore.Store, error) {
	cfg := wiring.StoreConfig(s)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return bunstore.Open(ctx, cfg, slog.New(slog.DiscardHandler))
}

// users disables or enables an account by phone or username. A disabled
// user's refresh tokens stop working at once: RefreshSession checks the flag.
func users(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) != 2 || (args[0] != "disable" && args[0] != "enable") {
		return usageError("usage: authd users disable|enable <phone|username>")
	}
	st, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	u, err := st.ByUsername(ctx, args[1])
	if errors.Is(err, domain.ErrNotFound) {
		parser, perr := phonenum.New(phonenum.Config{DefaultRegion: s.SMSDefaultRegion})
		if perr != nil {
			return perr
		}
		if p, perr := parser.Parse(args[1]); perr == nil {
			u, err = st.ByPhone(ctx, p.E164)
		}
	}
	if err != nil {
		return fmt.Errorf("user %q: %w", args[1], err)
	}
	now := time.Now().UTC()
	disable := args[0] == "disable"
	if err := st.SetDisabled(ctx, u.ID, disable, now); err != nil {
		return err
	}
	if disable {
		ids, err := st.EndSessions(ctx, u.ID, "", domain.EndDisabled, now)
		if err != nil {
			return err
		}
		if err := markEnded(ctx, s, ids, now); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "user %s (%s, %s) %sd\n", u.ID, u.Username, u.Phone, args[0])
	return nil
}

// markEnded tells the running instances, through Redis, that the disabled
// user's sessions ended, so their access tokens are refused at once. On the
// embedded default the set lives in the server's memory, out of this
// process's reach; there the server refuses a disabled user's tokens with
// 403 account_disabled on its next look at the user.
func markEnded(ctx context.Context, s wiring.Settings, ids []string, now time.Time) error {
	if s.RedisURL == "" || len(ids) == 0 {
		return nil
	}
	e, err := rediscode.NewEndedSessions(rediscode.Config{URL: s.RedisURL, KeyPrefix: s.RedisKeyPrefix}, wiring.EndedSessionsKeep(s))
	if err != nil {
		return err
	}
	defer e.Close()
	return e.MarkEnded(ctx, ids, now)
}

// keys generate prints a new PEM signing key for AUTHD_JWT_KEY_FILE.
func keys(args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "generate" {
		return usageError("usage: authd keys generate > key.pem")
	}
	pem, err := jwttokens.GenerateKeyPEM()
	if err != nil {
		return err
	}
	_, err = stdout.Write(pem)
	return err
}
