package memcode_test

import (
	"testing"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestSpendCounterContract(t *testing.T) {
	portstest.TestSpendCounter(t, func(*testing.T) ports.SpendCounter { return memcode.NewSpend() })
}
