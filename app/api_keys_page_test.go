package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// newKeyPattern finds the key shown once on the API keys page.
var newKeyPattern = regexp.MustCompile(`<code id="new-api-key" class="secret">(ehrb_([0-9a-f]{12})_[A-Za-z0-9_-]{43})</code>`)

// createKeyOnPage creates an API key through the page's form and returns
// the response, the key and its id.
func (env *testEnv) createKeyOnPage(t *testing.T, client *http.Client, form url.Values) (response, string, string) {
	t.Helper()
	created := env.postFormAs(t, client, "/api-keys", "/api-keys", form)
	if created.status != http.StatusOK {
		t.Fatalf("create key: status %d, want 200: %s", created.status, created.raw)
	}
	match := newKeyPattern.FindStringSubmatch(created.raw)
	if match == nil {
		t.Fatalf("create response does not show the new key")
	}

	return created, match[1], match[2]
}

func TestAPIKeysPageKeyWorksUntilRevoked(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	created, key, keyID := env.createKeyOnPage(t, admin, url.Values{"name": {" intake form "}, "scope": {"read", "send"}})
	for _, text := range []string{"API key intake form (id " + keyID + ") was created:", "it will not be shown again", `id="api-key-` + keyID + `"`} {
		if !strings.Contains(created.raw, text) {
			t.Errorf("create response lacks %q", text)
		}
	}
	if strings.Contains(created.raw, `name="name" value="intake form"`) {
		t.Errorf("create form keeps the name after a successful create")
	}

	list := env.doWith(t, admin, http.MethodGet, "/api-keys", "", "", nil)
	if strings.Contains(list.raw, key) || strings.Contains(list.raw, "new-api-key") {
		t.Errorf("a later GET /api-keys shows the key")
	}
	for _, text := range []string{"<code>" + keyID + "</code>", "intake form", ">Send</span>", ">Read</span>", "user:ada", "never used", `action="/api-keys/` + keyID + `/revoke"`} {
		if !strings.Contains(list.raw, text) {
			t.Errorf("key list lacks %q", text)
		}
	}

	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusOK {
		t.Fatalf("GET /ehr/transactions with the new key: status %d, want 200: %s", r.status, r.raw)
	}
	if list := env.doWith(t, admin, http.MethodGet, "/api-keys", "", "", nil); strings.Contains(list.raw, "never used") {
		t.Errorf("key list still says never used after the key was used")
	}

	unconfirmed := env.postFormAs(t, admin, "/api-keys", "/api-keys/"+keyID+"/revoke", url.Values{})
	if unconfirmed.status != http.StatusBadRequest || !strings.Contains(unconfirmed.raw, "Tick “I want to revoke this key” next to intake form") {
		t.Errorf("revoke without confirmation: status %d, want 400 asking to tick the box", unconfirmed.status)
	}
	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusOK {
		t.Fatalf("key after an unconfirmed revoke: status %d, want 200", r.status)
	}

	revoked := env.postFormAs(t, admin, "/api-keys", "/api-keys/"+keyID+"/revoke", url.Values{"confirm": {"yes"}})
	if revoked.status != http.StatusSeeOther || revoked.header.Get("Location") != "/api-keys?revoked="+keyID {
		t.Fatalf("revoke: status %d to %q", revoked.status, revoked.header.Get("Location"))
	}
	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusUnauthorized {
		t.Errorf("GET /ehr/transactions with the revoked key: status %d, want 401", r.status)
	}
	after := env.doWith(t, admin, http.MethodGet, "/api-keys?revoked="+keyID, "", "", nil)
	if !strings.Contains(after.raw, "API key "+keyID+" was revoked.") || !strings.Contains(after.raw, ">revoked</span>") {
		t.Errorf("list after revoking lacks the notice or the revoked badge")
	}
	if strings.Contains(after.raw, `action="/api-keys/`+keyID+`/revoke"`) {
		t.Errorf("list offers to revoke a revoked key")
	}
	again := env.postFormAs(t, admin, "/api-keys", "/api-keys/"+keyID+"/revoke", url.Values{"confirm": {"yes"}})
	if again.status != http.StatusNotFound || !strings.Contains(again.raw, "No active API key has the id "+keyID) {
		t.Errorf("second revoke: status %d, want 404 naming the key", again.status)
	}

	created2 := env.auditEntries(t, "api_key.create")
	if len(created2) != 1 || created2[0].Target != keyID || created2[0].Actor != "user:ada" {
		t.Fatalf("audit log has %+v, want one api_key.create of %s by user:ada", created2, keyID)
	}
	if details := string(created2[0].Details); strings.Contains(details, key) || !strings.Contains(details, `"scopes": ["send", "read"]`) {
		t.Errorf("api_key.create details %s, want the scopes and not the key", details)
	}
	revokes := env.auditEntries(t, "api_key.revoke")
	if len(revokes) != 1 || revokes[0].Target != keyID || revokes[0].Actor != "user:ada" {
		t.Errorf("audit log has %+v, want one api_key.revoke of %s by user:ada", revokes, keyID)
	}
}

func TestAPIKeysPageRejectsInvalidForm(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	cases := []struct {
		name     string
		path     string
		form     url.Values
		expected []string
	}{
		{
			name: "no name and no scope", path: "/api-keys", form: url.Values{"name": {"  "}},
			expected: []string{"Enter a name of 1 to 100 characters.", "Choose one or more scopes.", `id="api-key-name-error"`, `id="api-key-scopes-error"`},
		},
		{
			name: "name too long", path: "/api-keys", form: url.Values{"name": {strings.Repeat("n", 101)}, "scope": {"read"}},
			expected: []string{"Enter a name of 1 to 100 characters.", `id="api-key-scope-read" checked`},
		},
		{
			name: "unknown scope", path: "/api-keys", form: url.Values{"name": {"batch"}, "scope": {"root"}},
			expected: []string{"Choose one or more scopes.", `value="batch"`},
		},
		{
			name: "Spanish", path: "/api-keys?lang=es", form: url.Values{"name": {""}},
			expected: []string{"Escriba un nombre de 1 a 100 caracteres.", "Elija uno o más ámbitos."},
		},
	}
	for _, tc := range cases {
		r := env.postFormAs(t, admin, "/api-keys", tc.path, tc.form)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.name, r.status)
		}
		for _, text := range tc.expected {
			if !strings.Contains(r.raw, text) {
				t.Errorf("%s: page lacks %q", tc.name, text)
			}
		}
		if newKeyPattern.MatchString(r.raw) {
			t.Errorf("%s: page shows a new key", tc.name)
		}
	}
	keys, err := env.app.Store.ListAPIKeys(context.Background())
	if err != nil || len(keys) != 0 {
		t.Errorf("invalid forms stored %d keys (%v), want none", len(keys), err)
	}
	unknown := env.postFormAs(t, admin, "/api-keys", "/api-keys/000000000000/revoke", url.Values{"confirm": {"yes"}})
	if unknown.status != http.StatusNotFound {
		t.Errorf("revoke an unknown key: status %d, want 404", unknown.status)
	}
}

func TestAPIKeysPageInSpanish(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	env.createAPIKey(t, "send")

	page := env.doWith(t, admin, http.MethodGet, "/api-keys?lang=es", "", "", nil)
	for _, text := range []string{"<h1>Claves de API</h1>", "Id de la clave", "Ámbitos", "Crear una clave de API", "Quiero revocar esta clave", "Revocar", "nunca usada", ">Envío</span>"} {
		if !strings.Contains(page.raw, text) {
			t.Errorf("Spanish API keys page lacks %q", text)
		}
	}
	for _, text := range []string{"Key id", "Create key", "never used", "I want to revoke"} {
		if strings.Contains(page.raw, text) {
			t.Errorf("Spanish API keys page shows the English %q", text)
		}
	}

	created := env.postFormAs(t, admin, "/api-keys", "/api-keys?lang=es", url.Values{"name": {"lector"}, "scope": {"read"}})
	if !strings.Contains(created.raw, "no se volverá a mostrar") || !newKeyPattern.MatchString(created.raw) {
		t.Errorf("Spanish create response lacks the key or the warning that it is shown once")
	}
	if key := untranslatedKey.FindString(created.raw); key != "" {
		t.Errorf("Spanish API keys page shows the untranslated key %s", key)
	}
}
