package bunstore

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestAdminContracts(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Run("AdminKeys", func(t *testing.T) {
				portstest.TestAdminKeys(t, func(t *testing.T) ports.AdminKeys { return migrated(t, d.url(t)) })
			})
			t.Run("AdminUsers", func(t *testing.T) {
				portstest.TestAdminUsers(t, func(t *testing.T) portstest.AdminStore { return migrated(t, d.url(t)) })
			})
		})
	}
}

func TestWebhookOutboxContract(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			portstest.TestWebhookOutbox(t, func(t *testing.T) portstest.OutboxStore { return migrated(t, d.url(t)) })
		})
	}
}
