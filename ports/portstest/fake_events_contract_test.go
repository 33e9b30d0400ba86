package portstest_test

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestFakeEvents(t *testing.T) {
	portstest.TestEvents(t, func(*testing.T) ports.Events { return portstest.NewEvents() })
}
