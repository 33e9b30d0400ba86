package sms_test

import (
	"errors"
	"testing"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/domain"
)

func TestReceiptsWithControlBytesAreBadRequests(t *testing.T) {
	tencent := `[{"sid":"a\u0000b","report_status":"SUCCESS","errmsg":"DELIVRD"}]`
	aliyun := `[{"biz_id":"1","out_id":"x","success":false,"err_code":"E\u0000"}]`
	if _, err := sms.ParseTencentReceipts([]byte(tencent)); !errors.Is(err, domain.ErrInvalidRequest) {
		t.Errorf("tencent: %v, want ErrInvalidRequest", err)
	}
	if _, err := sms.ParseAliyunReceipts([]byte(aliyun)); !errors.Is(err, domain.ErrInvalidRequest) {
		t.Errorf("aliyun: %v, want ErrInvalidRequest", err)
	}
}
