package console

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results and logs.
const ProviderName = "console"

// Config configures the console sender.
type Config struct {
	// Writer receives one JSON line per message; nil means standard output.
	Writer io.Writer
	// Outbox, when set, also keeps each message for reading over HTTP.
	Outbox *Outbox
}

// Validate accepts every console configuration: there is nothing to check.
func (c Config) Validate() error { return nil }

// Sender "sends" a message by printing it. It never fails.
type Sender struct {
	log    *slog.Logger
	outbox *Outbox
}

var _ ports.SMS = (*Sender)(nil)

// New returns a console sender writing to cfg.Writer.
func New(cfg Config) *Sender {
	w := cfg.Writer
	if w == nil {
		w = os.Stdout
	}
	return &Sender{log: slog.New(slog.NewJSONHandler(w, nil)), outbox: cfg.Outbox}
}

// Send writes the message as one JSON line with the members "msg":"sms.console",
// "phone", "purpose", "code" and "message_id".
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	s.log.LogAttrs(ctx, slog.LevelInfo, "sms.console",
		slog.String("phone", msg.Phone.E164),
		slog.String("purpose", string(msg.Purpose)),
		slog.String("code", msg.Code),
		slog.String("message_id", msg.ID),
		slog.Int("ttl_seconds", int(msg.TTL.Seconds())),
	)
	if s.outbox != nil {
		s.outbox.add(msg)
	}
	// The console has no ids of its own: our message id stands in for one.
	return ports.SMSResult{Provider: ProviderName, MessageID: msg.ID}, nil
}
