package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"go.uber.org/dig"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
)

// serve runs the server until SIGINT or SIGTERM; fx then runs the OnStop
// hooks, which let in-flight requests finish. It starts the app itself
// rather than with fx's Run, which exits on a failed start (a busy port, an
// unwritable data dir) through fx's logger: here that logger is silent, so
// the operator saw exit 1 and nothing else.
func serve(s wiring.Settings, stdout io.Writer) error {
	opts, err := wiring.Modules(s, stdout)
	if err != nil {
		return err
	}
	a := fx.New(opts, fx.StopTimeout(30*time.Second))
	if err := a.Err(); err != nil {
		return startError(err)
	}
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		return startError(err)
	}
	sig := <-a.Wait()
	stopCtx, cancelStop := context.WithTimeout(context.Background(), a.StopTimeout())
	defer cancelStop()
	if err := a.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	if sig.ExitCode != 0 {
		return fmt.Errorf("stopped after a server error (see the log above)")
	}
	return nil
}

// startError keeps what went wrong and drops fx's account of the
// constructor chain: one line an operator can act on.
func startError(err error) error {
	msg := strings.ReplaceAll(dig.RootCause(err).Error(), "\n", "; ")
	return fmt.Errorf("cannot start: %s", msg)
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
		if err := st.RevokeUser(ctx, u.ID, "", now); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "user %s (%s, %s) %sd\n", u.ID, u.Username, u.Phone, args[0])
	return nil
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
