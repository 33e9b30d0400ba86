package sms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var cst = time.FixedZone("CST", 8*3600)

func TestParseTencentReceipts(t *testing.T) {
	body := []byte(`[
		{"user_receive_time":"2026-03-01 10:00:05","nationcode":"86","mobile":"13711112222","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"2028:1"},
		{"user_receive_time":"2026-03-01 10:00:06","nationcode":"86","mobile":"13711113333","report_status":"FAIL","errmsg":"MK:0005","description":"失败","sid":"2028:2"}
	]`)
	got, err := sms.ParseTencentReceipts(body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []ports.DeliveryReceipt{
		{Provider: "tencent", VendorMessageID: "2028:1", Delivered: true, VendorCode: "DELIVRD", At: time.Date(2026, 3, 1, 10, 0, 5, 0, cst)},
		{Provider: "tencent", VendorMessageID: "2028:2", Delivered: false, VendorCode: "MK:0005", At: time.Date(2026, 3, 1, 10, 0, 6, 0, cst)},
	}
	assertReceipts(t, got, want)
}

func TestParseAliyunReceipts(t *testing.T) {
	body := []byte(`[
		{"phone_number":"13711112222","send_time":"2026-03-01 10:00:00","report_time":"2026-03-01 10:00:05","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"932702304080415357^0","out_id":"msg-1"},
		{"phone_number":"13711113333","send_time":"2026-03-01 10:00:00","report_time":"2026-03-01 10:00:07","success":"false","err_code":"MOBILE_NOT_ON_SERVICE","err_msg":"停机","sms_size":1,"biz_id":"932702304080415358^0","out_id":""}
	]`)
	got, err := sms.ParseAliyunReceipts(body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []ports.DeliveryReceipt{
		{Provider: "aliyun", VendorMessageID: "932702304080415357^0", MessageID: "msg-1", Delivered: true, VendorCode: "DELIVERED", At: time.Date(2026, 3, 1, 10, 0, 5, 0, cst)},
		{Provider: "aliyun", VendorMessageID: "932702304080415358^0", Delivered: false, VendorCode: "MOBILE_NOT_ON_SERVICE", At: time.Date(2026, 3, 1, 10, 0, 7, 0, cst)},
	}
	assertReceipts(t, got, want)
}

func TestParseReceiptsRefusesMalformedBodies(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) ([]ports.DeliveryReceipt, error)
		body  string
	}{
		{"tencent not json", sms.ParseTencentReceipts, `{"oops"`},
		{"tencent object", sms.ParseTencentReceipts, `{"sid":"1"}`},
		{"tencent no sid", sms.ParseTencentReceipts, `[{"report_status":"SUCCESS"}]`},
		{"aliyun no ids", sms.ParseAliyunReceipts, `[{"success":true}]`},
		{"aliyun odd success", sms.ParseAliyunReceipts, `[{"success":"maybe","biz_id":"1"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.parse([]byte(tt.body)); !errors.Is(err, domain.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
}

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
	receipts := []ports.DeliveryReceipt{
		{Provider: "tencent", VendorMessageID: "tencent-id", Delivered: true},
		{Provider: "tencent", VendorMessageID: "unknown", Delivered: false},
	}
	matched, err := f.ApplyReceipts(context.Background(), receipts)
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
	if _, err := f.ApplyReceipts(context.Background(), receipts); !errors.Is(err, errLogDown) {
		t.Errorf("err = %v, want the log's error so the vendor retries", err)
	}
}

func assertReceipts(t *testing.T, got, want []ports.DeliveryReceipt) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d receipts, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Provider != w.Provider || g.VendorMessageID != w.VendorMessageID || g.MessageID != w.MessageID ||
			g.Delivered != w.Delivered || g.VendorCode != w.VendorCode || !g.At.Equal(w.At) {
			t.Errorf("receipt %d = %+v, want %+v", i, g, w)
		}
	}
}
