// Package ports declares the interfaces the use cases in app need from the
// outside world: storage, the one-time code store, rate limits, SMS, tokens,
// password hashing, phone parsing and the clock.
//
// Unlike Wild Workouts, where "ports" are the inbound handlers, here ports
// are the driven side only. Each interface lives in its own file, is owned
// by the use cases, and states its atomicity guarantees so that the adapter,
// not the caller, owns the race. Adapters live under adapters/, one package
// per technology; contract suites in ports/portstest keep them honest.
package ports
