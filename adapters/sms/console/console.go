package console

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results and logs.
const ProviderName = "console"

// Config configures the console sender.
type Config struct {
	// Writer receives one JSON line per message; nil means standard output.
	Writer io.Writer
	// Text renders the "text" member: what a free-text vendor would send.
	Text smstext.Config
}

// Validate accepts every console configuration: there is nothing to check.
func (c Config) Validate() error { return nil }

// Sender "sends" a message by printing it. It never fails.
type Sender struct {
	log  *slog.Logger
	text smstext.Config
}

var _ ports.SMS = (*Sender)(nil)

// New returns a console sender writing to cfg.Writer.
func New(cfg Config) *Sender {
	w := cfg.Writer
	if w == nil {
		w = os.Stdout
	}
	return &Sender{log: slog.New(slog.NewJSONHandler(w, nil)), text: cfg.Text}
}

// Send writes the message as one JSON line with the members "msg":"sms.console",
// "phone", "purpose", "code", "message_id", "ttl_seconds", "locale" and
// "text".
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	s.log.LogAttrs(ctx, slog.LevelInfo, "sms.console",
		slog.String("phone", msg.Phone.E164),
		slog.String("purpose", string(msg.Purpose)),
		slog.String("code", msg.Code),
		slog.String("message_id", msg.ID),
		slog.Int("ttl_seconds", int(msg.TTL.Seconds())),
		slog.String("locale", msg.Locale),
		slog.String("text", s.text.Render(msg)),
	)
	// The console has no ids of its own: our message id stands in for one.
	return ports.SMSResult{Provider: ProviderName, MessageID: msg.ID}, nil
}
