package portstest

import (
	"testing"

	"github.com/authd/authd/ports"
)

func TestFakeAdminKeys(t *testing.T) {
	TestAdminKeys(t, func(*testing.T) ports.AdminKeys { return NewAdminKeys() })
}
