// Package system provides the process's clock and identifier generator: the
// real time in UTC and UUID v7 identifiers, whose time-ordered prefix keeps
// database indexes on ids append-mostly.
package system
