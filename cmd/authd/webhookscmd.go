package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/authd/authd/cmd/authd/wiring"
)

const webhooksUsage = "usage: authd webhooks status | replay [EVENT_ID ...]  (replay without ids: every dead event)"

// webhooksCommand shows the outbox and replays dead events. It works on the
// database alone, so it also helps when no instance is running.
func webhooksCommand(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "status" && args[0] != "replay") || (args[0] == "status" && len(args) != 1) {
		return usageError(webhooksUsage)
	}
	st, err := openChecked(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "replay" {
		n, err := st.ReplayWebhookEvents(ctx, args[1:], time.Now().UTC())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d dead events pending again\n", n)
		return nil
	}
	stats, err := st.WebhookStats(ctx)
	if err != nil {
		return err
	}
	if len(s.WebhookURLs) == 0 {
		fmt.Fprintln(stdout, "no receivers configured (AUTHD_WEBHOOK_URLS): nothing is delivered")
	}
	fmt.Fprintf(stdout, "pending %d, delivered %d, dead %d\n", stats.Pending, stats.Delivered, stats.Dead)
	if !stats.OldestPending.IsZero() {
		fmt.Fprintf(stdout, "oldest pending: %s (%s ago)\n", stats.OldestPending.Format(time.RFC3339),
			time.Since(stats.OldestPending).Round(time.Second))
	}
	dead, err := st.DeadWebhookEvents(ctx, 50)
	if err != nil {
		return err
	}
	if len(dead) > 0 {
		fmt.Fprintln(stdout, "dead events (newest 50):")
		fmt.Fprintf(stdout, "%-36s  %-22s  %-36s  %-8s  %s\n", "ID", "TYPE", "USER", "ATTEMPTS", "LAST ERROR")
	}
	for _, e := range dead {
		fmt.Fprintf(stdout, "%-36s  %-22s  %-36s  %-8d  %s\n", e.ID, e.Type, e.UserID, e.Attempts, e.LastError)
	}
	return nil
}
