package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// smsCommand is `authd sms test-send`: one real message through the
// configured vendor(s), for operators checking credentials and templates.
func smsCommand(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "test-send" {
		return usageError("usage: authd sms test-send --phone PHONE [--provider NAME] [--locale TAG] [--purpose login|reset_password]")
	}
	fs := flag.NewFlagSet("sms test-send", flag.ContinueOnError)
	fs.SetOutput(stdout)
	phoneArg := fs.String("phone", "", "phone number to text")
	provider := fs.String("provider", "", "one provider to use (default: the route for the phone's region)")
	locale := fs.String("locale", "", "BCP 47 language of the text, e.g. zh-CN (default: the region's, then en)")
	purpose := fs.String("purpose", "login", "template to use: login or reset_password")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	parser, err := phonenum.New(phonenum.Config{DefaultRegion: s.SMSDefaultRegion})
	if err != nil {
		return err
	}
	phone, err := parser.Parse(*phoneArg)
	if err != nil {
		return usageError(fmt.Sprintf("--phone %q: %v", *phoneArg, err))
	}
	p, err := domain.ParsePurpose(*purpose)
	if err != nil {
		return usageError("--purpose must be login or reset_password")
	}
	cfg, err := wiring.SMSConfig(s, stdout)
	if err != nil {
		return err
	}
	if *provider != "" {
		cfg.Providers, cfg.Routes = []string{*provider}, ""
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	sender, err := sms.Build(cfg, sms.Options{Logger: slog.New(slog.NewTextHandler(stdout, nil)), Registerer: prometheus.NewRegistry()})
	if err != nil {
		return err
	}
	defer sender.Close()
	code, err := domain.NewCode(s.CodeLength)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.WithDefaults().Budget+time.Second)
	defer cancel()
	msg := ports.SMSMessage{ID: fmt.Sprintf("test-%d", time.Now().UnixNano()),
		Phone: phone, Purpose: p, Code: code, TTL: s.CodeTTL, Locale: *locale}
	fmt.Fprintf(stdout, "route %q for region %s; free-text providers send:\n%s\n", sender.RouteName(phone.Region), phone.Region, cfg.Text.Render(msg))
	res, err := sender.Send(ctx, msg)
	if err != nil {
		return fmt.Errorf("send to %s failed: %w", phone.E164, err)
	}
	fmt.Fprintf(stdout, "sent code %s to %s via %s (vendor message id %s)\n", code, phone.E164, res.Provider, res.MessageID)
	return nil
}
