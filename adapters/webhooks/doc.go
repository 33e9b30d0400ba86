// Package webhooks delivers security events to the receivers in
// AUTHD_WEBHOOK_URLS with Standard Webhooks signatures. The events table is
// the outbox (ports.WebhookOutbox): a Dispatcher leases due events, posts
// each to every receiver that has not accepted it yet, and settles it as
// delivered, to retry with exponential backoff, or dead after the retry
// window. Leases make several instances on one database share the work,
// and a dispatcher killed mid-delivery only delays its events until their
// lease ends.
package webhooks
