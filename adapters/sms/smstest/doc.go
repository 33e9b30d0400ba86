// Package smstest runs fake Tencent Cloud and Alibaba Cloud SMS servers for
// tests. They verify the real request signatures against a test secret,
// check every field the adapters send, record what they received (so a test
// can read the code that was sent) and answer in the vendors' real shapes:
// success, per-number and whole-call errors, HTTP 500, or a hang.
package smstest
