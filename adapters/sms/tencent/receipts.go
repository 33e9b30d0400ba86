package tencent

import (
	"encoding/json"
	"fmt"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ReceiptAnswer is the body Tencent expects in answer to a receipt
// callback; anything else makes it retry.
const ReceiptAnswer = `{"result":0,"errmsg":"OK"}`

type receipt struct {
	UserReceiveTime string `json:"user_receive_time"`
	ReportStatus    string `json:"report_status"`
	ErrMsg          string `json:"errmsg"`
	SID             string `json:"sid"`
}

// ParseReceipts parses Tencent's receipt callback: a JSON array of
// {user_receive_time, nationcode, mobile, report_status, errmsg, description, sid}.
// A malformed body matches domain.ErrInvalidRequest.
func ParseReceipts(body []byte) ([]ports.DeliveryReceipt, error) {
	var in []receipt
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("%w: tencent receipts: %w", domain.ErrInvalidRequest, err)
	}
	out := make([]ports.DeliveryReceipt, 0, len(in))
	for _, r := range in {
		if r.SID == "" {
			return nil, fmt.Errorf("%w: tencent receipt without sid", domain.ErrInvalidRequest)
		}
		out = append(out, ports.DeliveryReceipt{
			Provider: ProviderName, VendorMessageID: r.SID,
			Delivered: r.ReportStatus == "SUCCESS", VendorCode: r.ErrMsg, At: smsvendor.ParseChinaTime(r.UserReceiveTime),
		})
	}
	return out, nil
}
