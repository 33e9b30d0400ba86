// Package phonenum turns what users type into E.164 phone numbers with
// Google's libphonenumber metadata (github.com/nyaruka/phonenumbers), so that
// one subscriber has one spelling in the database, in rate-limit keys and at
// the SMS vendors, and numbers that cannot take a code are refused before a
// paid SMS is sent.
package phonenum
