package bunstore

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestSigningKeysContract(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			portstest.TestSigningKeys(t, func(t *testing.T) ports.SigningKeys { return migrated(t, d.url(t)) })
		})
	}
}
