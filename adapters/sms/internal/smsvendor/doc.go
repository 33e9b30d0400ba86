// Package smsvendor holds what every vendor SMS sender (tencent, aliyun)
// shares: the verdict table type and Classify, which turn a vendor code into
// a *ports.SendError; the codes authd makes up for failures that carry none;
// timeout detection and a redacted timeout error that still matches
// context.DeadlineExceeded; the redactor for vendor text; endpoint parsing
// (host[:port], or an http:// URL for local fakes); the sender's own
// transport; and the checks every vendor Config runs in Validate. Each vendor keeps its own code tables,
// SDK specifics and Config in its own package.
package smsvendor
