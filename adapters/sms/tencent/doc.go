// Package tencent sends SMS through Tencent Cloud SMS (API 2021-01-11) with
// the official tencentcloud-sdk-go, and classifies the vendor's answers into
// ports.SendError kinds so the failover sender knows what to do next.
package tencent
