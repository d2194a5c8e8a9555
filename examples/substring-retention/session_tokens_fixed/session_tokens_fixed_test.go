// Package session_tokens_fixed keeps the sessions of logged-in users.
//
// Fixed twin of session_tokens: the token is copied with strings.Clone
// before it becomes a key of the session table, so the request body can be
// freed as soon as the login handler is done.
package session_tokens_fixed

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
	sessions[strings.Clone(tokenOf(body))] = user
}

func TestLogin(t *testing.T) {
	body := "token=abc123&avatar=" + strings.Repeat("A", 1<<20)
	login("ada", body)
	if sessions["abc123"] != "ada" {
		t.Fatalf("sessions = %v", sessions)
	}
}
