package domain

import "fmt"

// ConfigError is an invalid setting; Key names it as the operator writes it.
type ConfigError struct {
	Key string
	Msg string
}

func (e *ConfigError) Error() string { return e.Key + ": " + e.Msg }

type policyError string

func (e policyError) Error() string { return string(e) }

func errorf(format string, a ...any) error { return policyError(fmt.Sprintf(format, a...)) }
