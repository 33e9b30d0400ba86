// Package portstest provides in-memory fakes of every port, for use-case and
// HTTP tests, and contract suites that every implementation of a port (the
// fakes included) must pass, in the manner of net/http/httptest and
// testing/fstest.
package portstest
