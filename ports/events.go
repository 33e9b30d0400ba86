package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// EventFilter narrows an events listing; zero fields match everything.
type EventFilter struct {
	UserID string
	Type   domain.EventType
	Since  time.Time // events at or after
}

// Events reads and prunes the security-event log. Events that report a
// change are written by the port method that makes the change, in its
// transaction; RecordEvents is for events that are the whole change (a
// failed login, a blocked send). Errors match domain.ErrUnavailable when the
// database cannot be reached.
type Events interface {
	// RecordEvents stores evs atomically.
	RecordEvents(ctx context.Context, evs ...domain.Event) error
	// ListEvents returns at most limit events matching f, newest first,
	// starting after cursor (the ID of the last event of the previous page;
	// empty for the first page). next is the cursor of the following page,
	// empty when there is none. Pages stay stable while events are added:
	// new events sort before the first page, never inside a later one.
	ListEvents(ctx context.Context, f EventFilter, cursor string, limit int) (evs []domain.Event, next string, err error)
	// PruneEvents deletes at most batch events older than before and says
	// how many it deleted, so a caller can repeat until none are left
	// without holding long locks; several instances may prune at once.
	PruneEvents(ctx context.Context, before time.Time, batch int) (int, error)
}
