package aliyun

import (
	"encoding/json"
	"fmt"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ReceiptAnswer is the body Aliyun expects in answer to a receipt
// callback; anything else makes it retry.
const ReceiptAnswer = `{"code":0,"msg":"接收成功"}`

type receipt struct {
	ReportTime string   `json:"report_time"`
	Success    jsonBool `json:"success"`
	ErrCode    string   `json:"err_code"`
	BizID      string   `json:"biz_id"`
	OutID      string   `json:"out_id"`
}

// ParseReceipts parses Aliyun's receipt callback: a JSON array of
// {phone_number, send_time, report_time, success, err_code, err_msg,
// sms_size, biz_id, out_id}. A malformed body matches domain.ErrInvalidRequest.
func ParseReceipts(body []byte) ([]ports.DeliveryReceipt, error) {
	var in []receipt
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("%w: aliyun receipts: %w", domain.ErrInvalidRequest, err)
	}
	out := make([]ports.DeliveryReceipt, 0, len(in))
	for _, r := range in {
		if r.BizID == "" && r.OutID == "" {
			return nil, fmt.Errorf("%w: aliyun receipt without biz_id or out_id", domain.ErrInvalidRequest)
		}
		out = append(out, ports.DeliveryReceipt{
			Provider: ProviderName, VendorMessageID: r.BizID, MessageID: r.OutID,
			Delivered: bool(r.Success), VendorCode: r.ErrCode, At: smsvendor.ParseChinaTime(r.ReportTime),
		})
	}
	return out, nil
}

// jsonBool accepts true and "true": the vendor's samples show both.
type jsonBool bool

func (b *jsonBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null":
		*b = false
	default:
		return fmt.Errorf("want a boolean, got %s", data)
	}
	return nil
}
