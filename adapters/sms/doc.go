// Package sms chooses the configured SMS vendors and sends through them in
// order: Failover tries the next vendor when one fails on its side (outage,
// timeout, configuration), stops at errors about the number itself, keeps
// every request within a time budget, skips a failing vendor for a while
// (circuit breaker), records every attempt and counts it in metrics. It also
// parses the vendors' delivery receipts.
package sms
