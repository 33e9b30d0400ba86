package bunstore

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestEventsContract(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			portstest.TestEvents(t, func(t *testing.T) ports.Events { return migrated(t, d.url(t)) })
		})
	}
}
