package sms

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// HandleReceipts takes one delivery-receipt callback body from provider,
// applies it to the send log and returns the body that vendor expects in
// reply. A malformed body is domain.ErrInvalidRequest; a send log that
// cannot be written is domain.ErrUnavailable, so the vendor retries later.
func (f *Failover) HandleReceipts(ctx context.Context, provider string, body []byte) ([]byte, error) {
	var (
		receipts []ports.DeliveryReceipt
		answer   string
		err      error
	)
	switch provider {
	case ProviderTencent:
		receipts, err = ParseTencentReceipts(body)
		answer = TencentReceiptAnswer
	case ProviderAliyun:
		receipts, err = ParseAliyunReceipts(body)
		answer = AliyunReceiptAnswer
	default:
		return nil, fmt.Errorf("receipts from %q: %w", provider, domain.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.ApplyReceipts(ctx, receipts); err != nil {
		return nil, domain.Unavailable("sms log", err)
	}
	return []byte(answer), nil
}
