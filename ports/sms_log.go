package ports

import (
	"context"
	"time"
)

// Send attempt statuses.
const (
	SendStatusSent        = "sent"        // the vendor accepted it
	SendStatusFailed      = "failed"      // the vendor refused or did not answer
	SendStatusDelivered   = "delivered"   // a receipt confirmed delivery
	SendStatusUndelivered = "undelivered" // a receipt reported failure
)

// SendAttempt is one try at one vendor for one message.
type SendAttempt struct {
	ID              string // unique per attempt
	MessageID       string // our message id (SMSMessage.ID), shared by failover attempts
	Provider        string
	VendorMessageID string
	Phone           string
	Purpose         string
	Status          string
	VendorCode      string
	Latency         time.Duration
	// Cost is the attempt's price by the operator's table (AUTHD_SMS_PRICES,
	// in its currency): billing units x price; 0 for a failed attempt or an
	// unpriced provider.
	Cost      float64
	CreatedAt time.Time
}

// DeliveryReceipt is a vendor's delivery report for one message.
type DeliveryReceipt struct {
	Provider        string
	VendorMessageID string // Tencent sid, Aliyun biz_id
	MessageID       string // our id when the vendor echoes it (Aliyun out_id)
	Delivered       bool
	VendorCode      string
	At              time.Time
}

// SMSLog records send attempts and applies delivery receipts to them.
type SMSLog interface {
	Record(ctx context.Context, a SendAttempt) error
	// ApplyReceipt updates the attempt the receipt is about; found is false
	// when no attempt matches.
	ApplyReceipt(ctx context.Context, r DeliveryReceipt) (found bool, err error)
}
