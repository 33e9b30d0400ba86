package domain

import "slices"

// webhookTypes are the event types delivered to webhooks (API.md
// "Webhooks"); the others (failed logins) stay in the log only.
var webhookTypes = []EventType{
	EventUserCreated, EventUserUpdated, EventUserDeleted, EventUserDisabled, EventUserEnabled,
	EventSessionCreated, EventSessionEnded, EventPasswordChanged, EventPhoneChanged,
	EventRefreshReuse, EventSMSBlocked, EventSMSUndelivered,
}

// WebhookTypes returns the event types webhooks receive.
func WebhookTypes() []EventType { return slices.Clone(webhookTypes) }

// IsWebhook reports whether events of type t go to webhooks.
func (t EventType) IsWebhook() bool { return slices.Contains(webhookTypes, t) }
