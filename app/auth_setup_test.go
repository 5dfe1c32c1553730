package app_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ehrbridge/app/auth"
	"ehrbridge/app/seal"
	"ehrbridge/app/store"
)

// testPassword is the password of every account tests create.
const testPassword = "correct horse battery"

// setupProduction starts ehrbridge in production mode: authentication on
// every route, payloads encrypted with a fresh key.
func setupProduction(t *testing.T, extraEnv map[string]string) *testEnv {
	t.Helper()
	key, err := seal.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"APP_ENV": "production", "HOST": "127.0.0.1", "ENCRYPTION_KEY": key}
	for name, value := range extraEnv {
		env[name] = value
	}

	return setup(t, env)
}

// createUser adds an account with testPassword.
func (env *testEnv) createUser(t *testing.T, username, role string) store.User {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := store.User{Username: username, PasswordHash: hash, Role: role}
	if err := env.app.Store.CreateUser(context.Background(), &u); err != nil {
		t.Fatalf("creating user %s: %v", username, err)
	}

	return u
}

// createAPIKey stores a key with scopes and returns it.
func (env *testEnv) createAPIKey(t *testing.T, scopes ...string) string {
	t.Helper()
	key, keyID, hash, err := auth.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	record := store.APIKey{KeyID: keyID, Name: "test " + strings.Join(scopes, "+"), SecretHash: hash, Scopes: strings.Join(scopes, ","), CreatedBy: "test"}
	if err := env.app.Store.CreateAPIKey(context.Background(), &record); err != nil {
		t.Fatalf("creating API key: %v", err)
	}

	return key
}

// bearer is the header map that sends key.
func bearer(key string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + key}
}

var csrfFieldPattern = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// newBrowserClient returns an HTTP client with a cookie jar that does not
// follow redirects, like a browser whose every step a test checks.
func newBrowserClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}

	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// formToken loads a page with client and returns the CSRF token of its
// first form.
func (env *testEnv) formToken(t *testing.T, client *http.Client, path string) string {
	t.Helper()
	page := env.doWith(t, client, http.MethodGet, path, "", "", nil)
	match := csrfFieldPattern.FindStringSubmatch(page.raw)
	if match == nil {
		t.Fatalf("GET %s (%d) has no CSRF field", path, page.status)
	}

	return match[1]
}

// postFormAs sends a form with client, adding the CSRF token of the page at
// tokenPath.
func (env *testEnv) postFormAs(t *testing.T, client *http.Client, tokenPath, path string, form url.Values) response {
	t.Helper()
	form.Set("_csrf", env.formToken(t, client, tokenPath))

	return env.doWith(t, client, http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode(), nil)
}

// signIn creates an account with role and returns a client signed in as it.
func (env *testEnv) signIn(t *testing.T, username, role string) *http.Client {
	t.Helper()
	env.createUser(t, username, role)
	client := newBrowserClient(t)
	answer := env.postFormAs(t, client, "/login", "/login", url.Values{"username": {username}, "password": {testPassword}})
	if answer.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: status %d, want 303: %s", username, answer.status, answer.raw)
	}

	return client
}
