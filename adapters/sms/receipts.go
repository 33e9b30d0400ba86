package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// The bodies the vendors expect in answer to a receipt callback; anything
// else makes them retry.
const (
	TencentReceiptAnswer = `{"result":0,"errmsg":"OK"}`
	AliyunReceiptAnswer  = `{"code":0,"msg":"接收成功"}`
)

// Both vendors write receipt times in China Standard Time without a zone.
var chinaTime = time.FixedZone("CST", 8*60*60)

const receiptTimeLayout = "2006-01-02 15:04:05"

type tencentReceipt struct {
	UserReceiveTime string `json:"user_receive_time"`
	ReportStatus    string `json:"report_status"`
	ErrMsg          string `json:"errmsg"`
	SID             string `json:"sid"`
}

// ParseTencentReceipts parses Tencent's receipt callback: a JSON array of
// {user_receive_time, nationcode, mobile, report_status, errmsg, description, sid}.
// A malformed body matches domain.ErrInvalidRequest.
func ParseTencentReceipts(body []byte) ([]ports.DeliveryReceipt, error) {
	var in []tencentReceipt
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("%w: tencent receipts: %w", domain.ErrInvalidRequest, err)
	}
	out := make([]ports.DeliveryReceipt, 0, len(in))
	for _, r := range in {
		if r.SID == "" {
			return nil, fmt.Errorf("%w: tencent receipt without sid", domain.ErrInvalidRequest)
		}
		if !plainText(r.SID, r.ErrMsg, r.ReportStatus, r.UserReceiveTime) {
			return nil, errReceiptText
		}
		out = append(out, ports.DeliveryReceipt{
			Provider: ProviderTencent, VendorMessageID: r.SID,
			Delivered: r.ReportStatus == "SUCCESS", VendorCode: r.ErrMsg, At: parseChinaTime(r.UserReceiveTime),
		})
	}
	return out, nil
}

type aliyunReceipt struct {
	ReportTime string   `json:"report_time"`
	Success    jsonBool `json:"success"`
	ErrCode    string   `json:"err_code"`
	BizID      string   `json:"biz_id"`
	OutID      string   `json:"out_id"`
}

// ParseAliyunReceipts parses Aliyun's receipt callback: a JSON array of
// {phone_number, send_time, report_time, success, err_code, err_msg,
// sms_size, biz_id, out_id}. A malformed body matches domain.ErrInvalidRequest.
func ParseAliyunReceipts(body []byte) ([]ports.DeliveryReceipt, error) {
	var in []aliyunReceipt
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("%w: aliyun receipts: %w", domain.ErrInvalidRequest, err)
	}
	out := make([]ports.DeliveryReceipt, 0, len(in))
	for _, r := range in {
		if r.BizID == "" && r.OutID == "" {
			return nil, fmt.Errorf("%w: aliyun receipt without biz_id or out_id", domain.ErrInvalidRequest)
		}
		if !plainText(r.BizID, r.OutID, r.ErrCode, r.ReportTime) {
			return nil, errReceiptText
		}
		out = append(out, ports.DeliveryReceipt{
			Provider: ProviderAliyun, VendorMessageID: r.BizID, MessageID: r.OutID,
			Delivered: bool(r.Success), VendorCode: r.ErrCode, At: parseChinaTime(r.ReportTime),
		})
	}
	return out, nil
}

// parseChinaTime returns the zero time for a missing or odd time: a receipt
// is still worth applying without it.
func parseChinaTime(s string) time.Time {
	t, err := time.ParseInLocation(receiptTimeLayout, s, chinaTime)
	if err != nil {
		return time.Time{}
	}
	return t
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

// ApplyReceipts applies receipts to the send log and counts them. It tries
// every receipt and returns how many matched a logged attempt and the
// errors of the log, if any (answer the vendor with a failure then, so it
// retries).
func (f *Failover) ApplyReceipts(ctx context.Context, receipts []ports.DeliveryReceipt) (matched int, err error) {
	var errs []error
	for _, r := range receipts {
		status := ports.SendStatusUndelivered
		if r.Delivered {
			status = ports.SendStatusDelivered
		}
		if f.log != nil {
			found, lerr := f.log.ApplyReceipt(ctx, r)
			if lerr != nil {
				errs = append(errs, lerr)
				continue
			}
			if found {
				matched++
			} else {
				status = "unmatched"
			}
		}
		f.metrics.receipts.WithLabelValues(r.Provider, status).Inc()
	}
	return matched, errors.Join(errs...)
}
