package system

import (
	"time"

	"github.com/google/uuid"

	"github.com/authd/authd/ports"
)

var (
	_ ports.Clock = (*Clock)(nil)
	_ ports.IDs   = (*IDs)(nil)
)

// Clock is the wall clock in UTC, so that stored and compared times never
// carry the host's zone.
type Clock struct{}

// NewClock returns the wall clock.
func NewClock() *Clock { return &Clock{} }

// Now returns the current time in UTC.
func (*Clock) Now() time.Time { return time.Now().UTC() }

// IDs makes UUID v7 identifiers.
type IDs struct{}

// NewIDs returns the UUID v7 generator.
func NewIDs() *IDs { return &IDs{} }

// NewID returns a new UUID v7 in its canonical string form. uuid.NewV7 only
// fails when the system's random source does, which leaves nothing safe to
// hand out; falling back to a v4 keeps uniqueness at the cost of ordering.
func (*IDs) NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
