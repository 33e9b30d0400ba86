package captcha

import (
	"errors"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// asSDK is errors.As for the SDK's error type.
func asSDK(err error, target **tcerr.TencentCloudSDKError) bool { return errors.As(err, target) }
