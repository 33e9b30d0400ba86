package bunstore

import (
	"context"

	"github.com/authd/authd/ports"
)

// Record stores one send attempt.
func (s *Store) Record(ctx context.Context, a ports.SendAttempt) error {
	row := attemptToRow(a)
	_, err := s.db.NewInsert().Model(&row).Exec(ctx)
	return translate(err)
}

// ApplyReceipt marks the attempts the receipt is about as delivered or
// undelivered. It matches the provider's message id first and falls back to
// our message id (echoed by Aliyun as out_id) for that provider.
func (s *Store) ApplyReceipt(ctx context.Context, r ports.DeliveryReceipt) (bool, error) {
	status := ports.SendStatusUndelivered
	if r.Delivered {
		status = ports.SendStatusDelivered
	}
	update := func(where string, arg any) (bool, error) {
		res, err := s.db.NewUpdate().Model((*smsAttemptRow)(nil)).
			Set("status = ?", status).Set("receipt_at = ?", ts(r.At)).Set("receipt_code = ?", r.VendorCode).
			Where("provider = ?", r.Provider).Where(where, arg).Exec(ctx)
		if err != nil {
			return false, translate(err)
		}
		n, err := res.RowsAffected()
		return n > 0, translate(err)
	}
	if r.VendorMessageID != "" {
		if found, err := update("vendor_message_id = ?", r.VendorMessageID); found || err != nil {
			return found, err
		}
	}
	if r.MessageID != "" {
		return update("message_id = ?", r.MessageID)
	}
	return false, nil
}
