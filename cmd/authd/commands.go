package main

import (
	"context"
	"errors"
	"flag"
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
	"github.com/authd/authd/adapters/rediscode"
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

// keys generate prints a new PEM signing key for AUTHD_JWT_KEY_FILE; keys
// rotate and keys list manage the rotating keys in the database.
func keys(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	const usage = "usage: authd keys generate > key.pem | authd keys list | authd keys rotate [-activate-after 25s]"
	if len(args) == 0 {
		return usageError(usage)
	}
	switch args[0] {
	case "generate":
		if len(args) != 1 {
			return usageError(usage)
		}
		pem, err := jwttokens.GenerateKeyPEM()
		if err != nil {
			return err
		}
		_, err = stdout.Write(pem)
		return err
	case "list", "rotate":
	default:
		return usageError(usage)
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	activateAfter := fs.Duration("activate-after", jwttokens.ActivationDelay(s.JWTKeyPollInterval),
		"how long the new key is only published before it signs")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 || (args[0] == "list" && fs.NFlag() != 0) {
		return usageError(usage)
	}
	if *activateAfter < 0 {
		return usageError("-activate-after must not be negative")
	}
	if s.JWTKeyFile != "" {
		return &domain.ConfigError{Key: "AUTHD_JWT_KEY_FILE",
			Msg: "is set, so authd signs with that one key: rotate by replacing the file and restarting, or unset it to use the keys in the database"}
	}
	rot, err := wiring.JWTRotation(s)
	if err != nil {
		return err
	}
	sealer, err := jwttokens.NewSealer(rot.Secret)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	now := time.Now().UTC()
	if args[0] == "rotate" {
		// Import the data dir's key first, as a start would: a rotation
		// before the first start must not orphan the key tokens use today.
		if err := jwttokens.EnsureFirstKey(ctx, st, sealer, s.DataDir, now, slog.New(slog.DiscardHandler)); err != nil {
			return err
		}
		k, err := jwttokens.Rotate(ctx, st, sealer, now, *activateAfter)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generation %d, kid %s: published now, signs from %s\n", k.Generation, k.ID, k.ActiveFrom.Format(time.RFC3339))
	}
	stored, err := st.ListSigningKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range jwttokens.Classify(stored, now, s.JWTAccessTTL) {
		fmt.Fprintln(stdout, describeKey(k))
	}
	if len(stored) == 0 {
		fmt.Fprintln(stdout, "no signing keys yet: the first start makes one")
	}
	return nil
}

// describeKey is one line of "authd keys list".
func describeKey(k jwttokens.KeyStatus) string {
	line := fmt.Sprintf("%-4d %s  %-8s created %s", k.Key.Generation, k.Key.ID, k.State, k.Key.CreatedAt.Format(time.RFC3339))
	switch k.State {
	case jwttokens.StateNext:
		line += ", signs from " + k.Until.Format(time.RFC3339)
	case jwttokens.StateRetired:
		line += ", published until " + k.Until.Format(time.RFC3339)
	case jwttokens.StateExpired:
		line += ", pruned at the next reload"
	}
	return line
}
