// Package app holds authd's use cases, one type per file: RequestCode,
// LoginOrRegister, PasswordLogin, RefreshSession, Logout, SetPassword,
// ResetPassword, CheckPhone, GetProfile and UpdateProfile. They depend only
// on domain and ports; which database, code store or SMS vendor sits behind
// a port is decided in cmd/authd.
package app
