// Package twilio sends SMS through Twilio Programmable Messaging with the
// official twilio-go SDK (free text, from a Messaging Service or a number)
// and reads its status callbacks as delivery receipts.
package twilio
