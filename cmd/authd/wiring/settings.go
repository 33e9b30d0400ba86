package wiring

import "time"

// Settings is every configuration key authd reads. Each field is set, in
// order, from its default, the YAML file (key: the variable name without
// AUTHD_, lower case) and the AUTHD_ environment variable; environment
// wins. The table in the README is this struct.
type Settings struct {
	HTTPAddr       string   `env:"AUTHD_HTTP_ADDR" default:":8080" help:"listen address"`
	TrustedProxies []string `env:"AUTHD_TRUSTED_PROXIES" help:"CIDRs whose X-Forwarded-For is believed; otherwise the peer address is the client IP"`
	DataDir        string   `env:"AUTHD_DATA_DIR" default:"./data" help:"embedded database, generated keys and code secret"`
	DatabaseURL    string   `env:"AUTHD_DATABASE_URL" help:"postgres://... or sqlite:PATH (default sqlite:<data dir>/authd.db)"`
	DatabaseConns  int      `env:"AUTHD_DATABASE_MAX_OPEN_CONNS" help:"connection pool size; 0: 1 on SQLite (one writer), 20 on Postgres"`
	RedisURL       string   `env:"AUTHD_REDIS_URL" help:"redis://host:port/db, or several comma-separated addresses for a Redis Cluster; empty: in-process code store (one instance only)"`
	RedisKeyPrefix string   `env:"AUTHD_REDIS_KEY_PREFIX" default:"authd" help:"first part of every Redis key"`
	LogLevel       string   `env:"AUTHD_LOG_LEVEL" default:"info" help:"debug, info, warn or error"`

	SMSProviders       []string      `env:"AUTHD_SMS_PROVIDERS" default:"console" help:"ordered failover list: console, tencent, aliyun"`
	SMSRoutes          string        `env:"AUTHD_SMS_ROUTES" help:"failover list per region, e.g. CN=tencent,aliyun;HK,MO,TW=aliyun;*=console; empty: AUTHD_SMS_PROVIDERS for every region"`
	SMSTexts           string        `env:"AUTHD_SMS_TEXTS" help:"free-text messages per purpose and locale: login.zh-CN=您的验证码是{code}，{minutes}分钟内有效; entries split by ; or newlines"`
	SMSRegionLocales   string        `env:"AUTHD_SMS_REGION_LOCALES" help:"default locale per destination region, e.g. CN=zh-CN;HK,MO,TW=zh-HK"`
	SMSWebOTPDomain    string        `env:"AUTHD_SMS_WEBOTP_DOMAIN" help:"adds the WebOTP last line @domain #code to free-text messages"`
	SMSAndroidAppHash  string        `env:"AUTHD_SMS_ANDROID_APP_HASH" help:"11-character app hash for Android's SMS Retriever, added to free-text messages"`
	SMSDefaultRegion   string        `env:"AUTHD_SMS_DEFAULT_REGION" default:"CN" help:"region for national-format numbers"`
	SMSAllowedRegions  string        `env:"AUTHD_SMS_ALLOWED_REGIONS" default:"CN" help:"comma list of ISO regions that may receive codes, or *"`
	SMSBudget          time.Duration `env:"AUTHD_SMS_BUDGET" default:"5s" help:"total time one send may take across every vendor"`
	SMSBreakerFails    int           `env:"AUTHD_SMS_BREAKER_FAILURES" default:"5" help:"consecutive failures that open a vendor's circuit breaker"`
	SMSBreakerCooldown time.Duration `env:"AUTHD_SMS_BREAKER_COOLDOWN" default:"30s" help:"how long an open breaker skips the vendor before one probe"`
	SMSReceiptSecret   string        `env:"AUTHD_SMS_RECEIPT_SECRET" secret:"true" help:"shared secret vendors put in the receipt callback URL (?secret=); empty: receipt routes off"`

	TencentSecretID        string        `env:"AUTHD_SMS_TENCENT_SECRET_ID" secret:"true" help:"Tencent Cloud API SecretId"`
	TencentSecretKey       string        `env:"AUTHD_SMS_TENCENT_SECRET_KEY" secret:"true" help:"Tencent Cloud API SecretKey"`
	TencentSDKAppID        string        `env:"AUTHD_SMS_TENCENT_SDK_APP_ID" help:"SmsSdkAppId"`
	TencentSignName        string        `env:"AUTHD_SMS_TENCENT_SIGN_NAME" help:"approved signature"`
	TencentRegion          string        `env:"AUTHD_SMS_TENCENT_REGION" default:"ap-guangzhou" help:"API region"`
	TencentEndpoint        string        `env:"AUTHD_SMS_TENCENT_ENDPOINT" default:"sms.tencentcloudapi.com" help:"API host (an http:// URL is allowed for local fakes)"`
	TencentTemplateLogin   string        `env:"AUTHD_SMS_TENCENT_TEMPLATE_LOGIN" help:"TemplateId for login codes, params [code, ttl_minutes]"`
	TencentTemplateReset   string        `env:"AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD" help:"TemplateId for reset codes"`
	TencentTemplateInitial string        `env:"AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD" help:"TemplateId for initial passwords, params [password]"`
	TencentTimeout         time.Duration `env:"AUTHD_SMS_TENCENT_TIMEOUT" default:"3s" help:"request timeout"`
	TencentIntlSignName    string        `env:"AUTHD_SMS_TENCENT_INTL_SIGN_NAME" help:"international/HK-MO-TW signature (optional there)"`
	TencentIntlTemplLogin  string        `env:"AUTHD_SMS_TENCENT_INTL_TEMPLATE_LOGIN" help:"international TemplateId for login codes outside +86, params [code, ttl_minutes]"`
	TencentIntlTemplReset  string        `env:"AUTHD_SMS_TENCENT_INTL_TEMPLATE_RESET_PASSWORD" help:"international TemplateId for reset codes"`

	AliyunAccessKeyID     string        `env:"AUTHD_SMS_ALIYUN_ACCESS_KEY_ID" secret:"true" help:"AccessKey ID"`
	AliyunAccessKeySecret string        `env:"AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET" secret:"true" help:"AccessKey secret"`
	AliyunSignName        string        `env:"AUTHD_SMS_ALIYUN_SIGN_NAME" help:"approved signature"`
	AliyunRegion          string        `env:"AUTHD_SMS_ALIYUN_REGION" default:"cn-hangzhou" help:"API region"`
	AliyunEndpoint        string        `env:"AUTHD_SMS_ALIYUN_ENDPOINT" default:"dysmsapi.aliyuncs.com" help:"API host (https; an http:// URL is allowed for local fakes)"`
	AliyunTemplateLogin   string        `env:"AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN" help:"TemplateCode for login codes, param {\"code\"}"`
	AliyunTemplateReset   string        `env:"AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD" help:"TemplateCode for reset codes"`
	AliyunTemplateInitial string        `env:"AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD" help:"TemplateCode for initial passwords, param {\"password\"}"`
	AliyunTimeout         time.Duration `env:"AUTHD_SMS_ALIYUN_TIMEOUT" default:"3s" help:"request timeout"`
	AliyunIntlSignName    string        `env:"AUTHD_SMS_ALIYUN_INTL_SIGN_NAME" help:"international signature; empty: AUTHD_SMS_ALIYUN_SIGN_NAME"`
	AliyunIntlTemplLogin  string        `env:"AUTHD_SMS_ALIYUN_INTL_TEMPLATE_LOGIN" help:"international TemplateCode for login codes outside the mainland"`
	AliyunIntlTemplReset  string        `env:"AUTHD_SMS_ALIYUN_INTL_TEMPLATE_RESET_PASSWORD" help:"international TemplateCode for reset codes"`

	TwilioAccountSID          string        `env:"AUTHD_SMS_TWILIO_ACCOUNT_SID" help:"Account SID (AC...)"`
	TwilioAuthToken           string        `env:"AUTHD_SMS_TWILIO_AUTH_TOKEN" secret:"true" help:"Auth token; also checks status callbacks' X-Twilio-Signature"`
	TwilioMessagingServiceSID string        `env:"AUTHD_SMS_TWILIO_MESSAGING_SERVICE_SID" help:"Messaging Service SID (MG...) to send from; or AUTHD_SMS_TWILIO_FROM"`
	TwilioFrom                string        `env:"AUTHD_SMS_TWILIO_FROM" help:"sender number (E.164) or alphanumeric id, when no Messaging Service"`
	TwilioStatusCallback      string        `env:"AUTHD_SMS_TWILIO_STATUS_CALLBACK" help:"delivery receipt URL, e.g. https://auth.example.com/v1/sms/receipts/twilio?secret=..."`
	TwilioBaseURL             string        `env:"AUTHD_SMS_TWILIO_BASE_URL" default:"https://api.twilio.com" help:"API base URL (a local fake in tests)"`
	TwilioTimeout             time.Duration `env:"AUTHD_SMS_TWILIO_TIMEOUT" default:"3s" help:"request timeout"`

	HTTPSMSURL     string        `env:"AUTHD_SMS_HTTP_URL" help:"operator URL the http provider POSTs messages to"`
	HTTPSMSSecret  string        `env:"AUTHD_SMS_HTTP_SECRET" secret:"true" help:"Standard Webhooks signing secret, whsec_<base64>"`
	HTTPSMSTimeout time.Duration `env:"AUTHD_SMS_HTTP_TIMEOUT" default:"3s" help:"request timeout"`

	CodeLength      int           `env:"AUTHD_CODE_LENGTH" default:"6" help:"digits (4..10)"`
	CodeTTL         time.Duration `env:"AUTHD_CODE_TTL" default:"5m" help:"code lifetime"`
	CodeResendAfter time.Duration `env:"AUTHD_CODE_RESEND_AFTER" default:"60s" help:"cooldown per phone and purpose"`
	CodeMaxAttempts int           `env:"AUTHD_CODE_MAX_ATTEMPTS" default:"5" help:"wrong tries before the code is burned"`
	CodeHourlyLimit int           `env:"AUTHD_CODE_HOURLY_LIMIT" default:"5" help:"sends per phone per hour"`
	CodeDailyLimit  int           `env:"AUTHD_CODE_DAILY_LIMIT" default:"10" help:"sends per phone per day"`
	CodeSecret      string        `env:"AUTHD_CODE_SECRET" secret:"true" help:"HMAC key for stored code digests, shared by every instance; empty: generated once under the data dir"`

	IPCodeLimit         int  `env:"AUTHD_IP_CODE_LIMIT" default:"30" help:"code requests per client IP per hour (refused ones count too)"`
	IPLoginLimit        int  `env:"AUTHD_IP_LOGIN_LIMIT" default:"100" help:"failed logins (code or password) per client IP per hour"`
	LoginFailureLimit   int  `env:"AUTHD_LOGIN_FAILURE_LIMIT" default:"5" help:"failed password logins per login name per 15 minutes"`
	PhoneLookupLimit    int  `env:"AUTHD_PHONE_LOOKUP_LIMIT" default:"60" help:"GET /v1/users/exists per client IP per hour"`
	ExposePhoneLookup   bool `env:"AUTHD_EXPOSE_PHONE_LOOKUP" default:"true" help:"serve GET /v1/users/exists"`
	SendInitialPassword bool `env:"AUTHD_REGISTRATION_SEND_INITIAL_PASSWORD" default:"false" help:"text a random password at SMS registration (weaker than passwordless: off by default)"`

	JWTIssuer     string        `env:"AUTHD_JWT_ISSUER" default:"authd" help:"iss claim"`
	JWTAudience   string        `env:"AUTHD_JWT_AUDIENCE" default:"authd" help:"aud claim"`
	JWTAccessTTL  time.Duration `env:"AUTHD_JWT_ACCESS_TTL" default:"15m" help:"access token lifetime"`
	JWTRefreshTTL time.Duration `env:"AUTHD_JWT_REFRESH_TTL" default:"720h" help:"refresh token lifetime"`
	JWTKeyFile    string        `env:"AUTHD_JWT_KEY_FILE" help:"PEM (PKCS#8) Ed25519 signing key, fixed (no rotation); empty: rotating keys kept in the database"`

	JWTKeyEncryptionKey string        `env:"AUTHD_JWT_KEY_ENCRYPTION_KEY" secret:"true" help:"secret (16+ characters, shared by every instance) that encrypts the signing keys in the database; empty: derived from the code secret"`
	JWTKeyPollInterval  time.Duration `env:"AUTHD_JWT_KEY_POLL_INTERVAL" default:"20s" help:"how often instances reload the signing keys (100ms..55s); a rotated key signs after this plus 5s"`

	PasswordMinScore int           `env:"AUTHD_PASSWORD_MIN_SCORE" default:"3" help:"lowest zxcvbn score (1..4) a new password must reach"`
	PprofAddr        string        `env:"AUTHD_PPROF_ADDR" help:"serve net/http/pprof on this address (keep it on loopback); empty: off"`
	HashConcurrency  int           `env:"AUTHD_PASSWORD_HASH_CONCURRENCY" help:"argon2id hashes at once (default: one per CPU)"`
	HashQueueTimeout time.Duration `env:"AUTHD_PASSWORD_HASH_QUEUE_TIMEOUT" default:"2s" help:"wait for a hashing slot before 503"`
}
