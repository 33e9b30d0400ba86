package captcha

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// tencentCaptcha calls DescribeCaptchaResult (captcha 2019-07-22) through
// the SDK's common client, which signs it (TC3-HMAC-SHA256): the module
// proxy serves no tencentcloud/captcha package compatible with the common
// v1.3.210 the SMS adapter uses.
type tencentCaptcha struct {
	cfg    Config
	appID  uint64
	client *common.Client
}

func newTencent(cfg Config) (*tencentCaptcha, error) {
	appID, err := strconv.ParseUint(cfg.SiteKey, 10, 64)
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_CAPTCHA_SITE_KEY", Msg: "Tencent's CaptchaAppId is a number"}
	}
	u, err := url.Parse(cfg.VerifyURL)
	if err != nil {
		return nil, &domain.ConfigError{Key: "AUTHD_CAPTCHA_VERIFY_URL", Msg: err.Error()}
	}
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Scheme = strings.ToUpper(u.Scheme)
	cpf.HttpProfile.Endpoint = u.Host
	cpf.HttpProfile.ReqTimeout = max(int(cfg.Timeout.Seconds()), 1)
	client := common.NewCommonClient(common.NewCredential(cfg.TencentSecretID, cfg.TencentSecretKey), "", cpf)
	return &tencentCaptcha{cfg: cfg, appID: appID, client: client}, nil
}

func (t *tencentCaptcha) Provider() string { return Tencent }
func (t *tencentCaptcha) SiteKey() string  { return t.cfg.SiteKey }

// Verify implements ports.Captcha. CaptchaCode 1 is a pass; the other
// codes describe the ticket (expired, reused, wrong randstr, ...), except
// 100, a wrong AppSecretKey: our own fault, so an outage.
func (t *tencentCaptcha) Verify(ctx context.Context, a ports.CaptchaAnswer) error {
	if len(a.Token) > 4096 || a.Randstr == "" || len(a.Randstr) > 256 {
		return domain.ErrCaptchaFailed
	}
	req := tchttp.NewCommonRequest("captcha", "2019-07-22", "DescribeCaptchaResult")
	req.SetContext(ctx)
	if err := req.SetActionParameters(map[string]interface{}{
		"CaptchaType": 9, "Ticket": a.Token, "Randstr": a.Randstr, "UserIp": a.IP,
		"CaptchaAppId": t.appID, "AppSecretKey": t.cfg.Secret,
	}); err != nil {
		return domain.Unavailable("captcha", err)
	}
	resp := tchttp.NewCommonResponse()
	if err := t.client.Send(req, resp); err != nil {
		var sdkErr *tcerr.TencentCloudSDKError
		if ok := asSDK(err, &sdkErr); ok && strings.HasPrefix(sdkErr.Code, "InvalidParameter") {
			return domain.ErrCaptchaFailed
		}
		return domain.Unavailable("captcha", err)
	}
	var out struct {
		Response struct {
			CaptchaCode int64
			CaptchaMsg  string
		}
	}
	if err := json.Unmarshal(resp.GetBody(), &out); err != nil {
		return domain.Unavailable("captcha", fmt.Errorf("tencent answer: %w", err))
	}
	switch out.Response.CaptchaCode {
	case 1:
		return nil
	case 100: // AppSecretKey does not match the app: our configuration
		return domain.Unavailable("captcha", fmt.Errorf("tencent captcha %d: %s", out.Response.CaptchaCode, out.Response.CaptchaMsg))
	}
	return domain.ErrCaptchaFailed
}
