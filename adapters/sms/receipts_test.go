package sms_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestApplyReceiptsUpdatesLogAndMetrics(t *testing.T) {
	log := &memLog{}
	reg := prometheus.NewRegistry()
	f, err := sms.NewFailover([]sms.Named{{Name: "tencent", Sender: &scripted{name: "tencent"}}}, sms.Options{Log: log, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	rc, err := sms.NewReceipts(log, reg)
	if err != nil {
		t.Fatal(err)
	}
	receipts := []ports.DeliveryReceipt{
		{Provider: "tencent", VendorMessageID: "tencent-id", Delivered: true},
		{Provider: "tencent", VendorMessageID: "unknown", Delivered: false},
	}
	matched, err := rc.ApplyReceipts(context.Background(), receipts)
	if err != nil || matched != 1 {
		t.Errorf("ApplyReceipts = %d, %v; want 1 matched", matched, err)
	}
	if v := metricValue(t, reg, "authd_sms_receipts_total", map[string]string{"provider": "tencent", "status": "delivered"}); v != 1 {
		t.Errorf("delivered receipts = %v, want 1", v)
	}
	if v := metricValue(t, reg, "authd_sms_receipts_total", map[string]string{"provider": "tencent", "status": "unmatched"}); v != 1 {
		t.Errorf("unmatched receipts = %v, want 1", v)
	}

	log.fail = errLogDown
	if _, err := rc.ApplyReceipts(context.Background(), receipts); !errors.Is(err, errLogDown) {
		t.Errorf("err = %v, want the log's error so the vendor retries", err)
	}
}

func TestHandleReceiptsAnswersInTheVendorsFormat(t *testing.T) {
	rc, err := sms.NewReceipts(&memLog{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, body, answer string
		err                    error
	}{
		{"tencent", `[{"report_status":"SUCCESS","sid":"1"}]`, `{"result":0,"errmsg":"OK"}`, nil},
		{"aliyun", `[{"success":true,"biz_id":"1"}]`, `{"code":0,"msg":"接收成功"}`, nil},
		{"tencent", `{"oops"`, "", domain.ErrInvalidRequest},
		{"console", `[]`, "", domain.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := rc.HandleReceipts(context.Background(), tt.provider, []byte(tt.body))
		if string(got) != tt.answer || !errors.Is(err, tt.err) {
			t.Errorf("%s %s: got %q, %v; want %q, %v", tt.provider, tt.body, got, err, tt.answer, tt.err)
		}
	}
}
