// Package session_tokens keeps the sessions of logged-in users.
//
// Real-world pattern: a login handler that cuts the token out of the
// form-encoded request body with a helper and keeps it as the key of a
// package-level session table. The helper returns a substring of the body,
// so every session keeps the whole request body alive - here a 1 MiB
// avatar upload - for as long as the user stays logged in.
//
// oracle: skip retained memory is not a runtime failure
package session_tokens

import (
	"strings"
	"testing"
)

var sessions = map[string]string{} // token -> user

// tokenOf returns the value of the token field of a form-encoded body.
func tokenOf(body string) string {
	i := strings.Index(body, "token=")
	if i < 0 {
		return ""
	}
	rest := body[i+len("token="):]
	if j := strings.IndexByte(rest, '&'); j >= 0 {
		return rest[:j]
	}
	return rest
}

func login(user, body string) {
	sessions[tokenOf(body)] = user // want substring-retention `tokenOf\(body\) returns`
}

func TestLogin(t *testing.T) {
	body := "token=abc123&avatar=" + strings.Repeat("A", 1<<20)
	login("ada", body)
	if sessions["abc123"] != "ada" {
		t.Fatalf("sessions = %v", sessions)
	}
}
