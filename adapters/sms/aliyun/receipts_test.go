package aliyun_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var cst = time.FixedZone("CST", 8*3600)

func TestParseReceipts(t *testing.T) {
	body := []byte(`[
		{"phone_number":"13711112222","send_time":"2026-03-01 10:00:00","report_time":"2026-03-01 10:00:05","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"932702304080415357^0","out_id":"msg-1"},
		{"phone_number":"13711113333","send_time":"2026-03-01 10:00:00","report_time":"2026-03-01 10:00:07","success":"false","err_code":"MOBILE_NOT_ON_SERVICE","err_msg":"停机","sms_size":1,"biz_id":"932702304080415358^0","out_id":""}
	]`)
	got, err := aliyun.ParseReceipts(body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []ports.DeliveryReceipt{
		{Provider: "aliyun", VendorMessageID: "932702304080415357^0", MessageID: "msg-1", Delivered: true, VendorCode: "DELIVERED", At: time.Date(2026, 3, 1, 10, 0, 5, 0, cst)},
		{Provider: "aliyun", VendorMessageID: "932702304080415358^0", Delivered: false, VendorCode: "MOBILE_NOT_ON_SERVICE", At: time.Date(2026, 3, 1, 10, 0, 7, 0, cst)},
	}
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

func TestParseReceiptsRefusesMalformedBodies(t *testing.T) {
	for name, body := range map[string]string{
		"no ids":      `[{"success":true}]`,
		"odd success": `[{"success":"maybe","biz_id":"1"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := aliyun.ParseReceipts([]byte(body)); !errors.Is(err, domain.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
}
