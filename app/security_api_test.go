package app_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestProductionRefusesToServeWithoutAdmin(t *testing.T) {
	env := setupProduction(t, nil)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	err = env.app.ServeListener(ctx, listener)
	if err == nil || !strings.Contains(err.Error(), "admin account") {
		t.Fatalf("ServeListener without an admin: %v, want the no-admin error", err)
	}
}

func TestAPIKeyScopes(t *testing.T) {
	env := setupProduction(t, nil)
	keys := map[string]string{
		"send": env.createAPIKey(t, "send"), "read": env.createAPIKey(t, "read"), "admin": env.createAPIKey(t, "admin"),
	}
	cases := []struct {
		method, path string
		allowed      map[string]bool
	}{
		{http.MethodGet, "/ehr/transactions", map[string]bool{"read": true, "admin": true}},
		{http.MethodGet, "/ehr/queue/status", map[string]bool{"read": true, "admin": true}},
		{http.MethodPost, "/ehr/send-patient-data", map[string]bool{"send": true, "admin": true}},
		{http.MethodPost, "/ehr/cache/clear", map[string]bool{"admin": true}},
		{http.MethodGet, "/ehr/audit-log", map[string]bool{"admin": true}},
		{http.MethodGet, "/ehr/api-keys", map[string]bool{"admin": true}},
	}

	for _, tc := range cases {
		for scope, key := range keys {
			answer := env.do(t, tc.method, tc.path, "application/json", "{}", bearer(key))
			denied := answer.status == http.StatusForbidden
			if tc.allowed[scope] == denied {
				t.Errorf("%s key on %s %s: status %d, allowed %v", scope, tc.method, tc.path, answer.status, tc.allowed[scope])
			}
			if answer.status == http.StatusUnauthorized {
				t.Errorf("%s key on %s %s: 401, the key was not recognised", scope, tc.method, tc.path)
			}
		}
	}
}

func TestAPIKeyRejections(t *testing.T) {
	env := setupProduction(t, nil)
	key := env.createAPIKey(t, "read")

	missing := env.get(t, "/ehr/transactions")
	if missing.status != http.StatusUnauthorized || missing.json["error"] != "unauthorized" {
		t.Errorf("no key: %d %s, want 401 unauthorized", missing.status, missing.raw)
	}
	if !strings.HasPrefix(missing.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without a Bearer challenge: %q", missing.header.Get("WWW-Authenticate"))
	}

	wrongSecret := key[:len(key)-4] + "AAAA"
	for name, header := range map[string]string{
		"wrong secret": "Bearer " + wrongSecret, "malformed": "Bearer nonsense", "basic scheme": "Basic " + key,
	} {
		answer := env.do(t, http.MethodGet, "/ehr/transactions", "", "", map[string]string{"Authorization": header})
		if answer.status != http.StatusUnauthorized || answer.json["error"] != "invalid_credentials" {
			t.Errorf("%s: %d %s, want 401 invalid_credentials", name, answer.status, answer.raw)
		}
	}

	keyID := strings.Split(key, "_")[1]
	admin := env.createAPIKey(t, "admin")
	if r := env.do(t, http.MethodDelete, "/ehr/api-keys/"+keyID, "", "", bearer(admin)); r.status != http.StatusNoContent {
		t.Fatalf("revoking: %d %s", r.status, r.raw)
	}
	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusUnauthorized {
		t.Errorf("revoked key: status %d, want 401", r.status)
	}
}

func TestAPIKeyCreatedThroughAPI(t *testing.T) {
	env := setupProduction(t, nil)
	admin := env.createAPIKey(t, "admin")

	created := env.do(t, http.MethodPost, "/ehr/api-keys", "application/json", `{"name":"intake form","scopes":["send"]}`, bearer(admin))
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	key, _ := created.json["key"].(string)
	if !strings.HasPrefix(key, "ehrb_") {
		t.Fatalf("created key %q lacks the ehrb_ prefix", key)
	}
	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusForbidden {
		t.Errorf("send key reading transactions: %d, want 403", r.status)
	}

	listed := env.do(t, http.MethodGet, "/ehr/api-keys", "", "", bearer(admin))
	if strings.Contains(listed.raw, key) || !strings.Contains(listed.raw, "intake form") {
		t.Errorf("key list shows the key or lacks the new one: %s", listed.raw)
	}

	for body, field := range map[string]string{
		`{"name":"","scopes":["send"]}`:  "name",
		`{"name":"x","scopes":["root"]}`: "scopes",
		`{"name":"x","scopes":[]}`:       "scopes",
	} {
		r := env.do(t, http.MethodPost, "/ehr/api-keys", "application/json", body, bearer(admin))
		if r.status != http.StatusBadRequest || !strings.Contains(r.raw, `"field":"`+field+`"`) {
			t.Errorf("create with %s: %d %s, want 400 on %s", body, r.status, r.raw, field)
		}
	}
}

func TestSessionCookieDoesNotReachAPI(t *testing.T) {
	env := setupProduction(t, nil)
	admin := env.signIn(t, "admin", "admin")

	answer := env.doWith(t, admin, http.MethodGet, "/ehr/transactions", "", "", nil)
	if answer.status != http.StatusUnauthorized {
		t.Fatalf("session on the JSON API: status %d, want 401", answer.status)
	}
}
