package tencent_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var cst = time.FixedZone("CST", 8*3600)

func TestParseReceipts(t *testing.T) {
	body := []byte(`[
		{"user_receive_time":"2026-03-01 10:00:05","nationcode":"86","mobile":"13711112222","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"2028:1"},
		{"user_receive_time":"2026-03-01 10:00:06","nationcode":"86","mobile":"13711113333","report_status":"FAIL","errmsg":"MK:0005","description":"失败","sid":"2028:2"}
	]`)
	got, err := tencent.ParseReceipts(body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []ports.DeliveryReceipt{
		{Provider: "tencent", VendorMessageID: "2028:1", Delivered: true, VendorCode: "DELIVRD", At: time.Date(2026, 3, 1, 10, 0, 5, 0, cst)},
		{Provider: "tencent", VendorMessageID: "2028:2", Delivered: false, VendorCode: "MK:0005", At: time.Date(2026, 3, 1, 10, 0, 6, 0, cst)},
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
		"not json": `{"oops"`,
		"object":   `{"sid":"1"}`,
		"no sid":   `[{"report_status":"SUCCESS"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tencent.ParseReceipts([]byte(body)); !errors.Is(err, domain.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
}
