package app_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ehrbridge/app/store"
)

// auditRowPattern finds the id of each entry row on the audit page.
var auditRowPattern = regexp.MustCompile(`<tr id="audit-(\d+)">`)

// auditRowIDs returns the entry ids of an audit page in page order.
func auditRowIDs(t *testing.T, page response) []int64 {
	t.Helper()
	var ids []int64
	for _, match := range auditRowPattern.FindAllStringSubmatch(page.raw, -1) {
		id, err := strconv.ParseInt(match[1], 10, 64)
		if err != nil {
			t.Fatalf("entry id %q: %v", match[1], err)
		}
		ids = append(ids, id)
	}

	return ids
}

func TestAuditPageListsAccountChanges(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	env.postFormAs(t, admin, "/users", "/users", url.Values{
		"username": {"olga"}, "role": {"operator"}, "password": {testPassword}, "password_repeat": {testPassword},
	})
	_, _, keyID := env.createKeyOnPage(t, admin, url.Values{"name": {"intake"}, "scope": {"send"}})

	page := env.doWith(t, admin, http.MethodGet, "/audit", "", "", nil)
	if page.status != http.StatusOK {
		t.Fatalf("GET /audit: status %d", page.status)
	}
	text := html.UnescapeString(page.raw)
	for _, wanted := range []string{
		"<h1>Audit log</h1>", "Sign-in", "Account created", "API key created", "<code>user:ada</code>",
		"<code>olga</code>", "<code>" + keyID + "</code>", `{"role":"operator"}`, `{"name":"intake","scopes":["send"]}`,
		"<code>127.0.0.1</code>", "Client address", "Request id",
	} {
		if !strings.Contains(text, wanted) {
			t.Errorf("audit page lacks %q", wanted)
		}
	}
	ids := auditRowIDs(t, page)
	if len(ids) != 3 {
		t.Fatalf("audit page lists %d entries, want 3 (sign-in, account, key)", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Errorf("entries are not newest first: %v", ids)
		}
	}
	if strings.Contains(page.raw, testPassword) {
		t.Errorf("audit page shows a password")
	}
	if strings.Contains(page.raw, `id="audit-older"`) {
		t.Errorf("audit page offers older entries although all fit")
	}
}

func TestAuditPageFilters(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	env.signIn(t, "bob", "viewer")
	env.createKeyOnPage(t, admin, url.Values{"name": {"intake"}, "scope": {"send"}})

	cases := []struct {
		name   string
		path   string
		count  int
		shown  []string
		hidden []string
	}{
		{"by action", "/audit?action=auth.login", 2, []string{"<code>user:ada</code>", "<code>user:bob</code>"}, []string{"API key created</span>"}},
		{"by actor", "/audit?actor=user:bob", 1, []string{"<code>user:bob</code>"}, []string{"<code>user:ada</code>"}},
		{"by actor, exact", "/audit?actor=user:bo", 0, []string{`id="audit-empty"`, "No entries match."}, nil},
		{"by target", "/audit?target=ada", 1, []string{"<code>ada</code>"}, []string{"<code>bob</code>"}},
		{"by action and actor", "/audit?action=api_key.create&actor=user:ada", 1, []string{"API key created"}, nil},
	}
	for _, tc := range cases {
		page := env.doWith(t, admin, http.MethodGet, tc.path, "", "", nil)
		if page.status != http.StatusOK {
			t.Errorf("%s: status %d, want 200", tc.name, page.status)
		}
		if ids := auditRowIDs(t, page); len(ids) != tc.count {
			t.Errorf("%s: %d entries, want %d", tc.name, len(ids), tc.count)
		}
		for _, text := range tc.shown {
			if !strings.Contains(page.raw, text) {
				t.Errorf("%s: page lacks %q", tc.name, text)
			}
		}
		for _, text := range tc.hidden {
			if strings.Contains(page.raw, text) {
				t.Errorf("%s: page shows %q", tc.name, text)
			}
		}
	}

	filtered := env.doWith(t, admin, http.MethodGet, "/audit?action=auth.login&actor=user:bob", "", "", nil)
	for _, text := range []string{`<option value="auth.login" selected>`, `name="actor" value="user:bob"`} {
		if !strings.Contains(filtered.raw, text) {
			t.Errorf("filter form does not keep the filter: lacks %q", text)
		}
	}

	invalid := []struct {
		name     string
		path     string
		expected string
	}{
		{"unknown action", "/audit?action=user.delete", "Choose an action from the list."},
		{"long actor", "/audit?actor=" + strings.Repeat("a", 201), "Enter at most 200 characters."},
		{"bad cursor", "/audit?before=-4", "The page link is invalid."},
		{"Spanish", "/audit?action=x&lang=es", "Elija una acción de la lista."},
	}
	for _, tc := range invalid {
		page := env.doWith(t, admin, http.MethodGet, tc.path, "", "", nil)
		if page.status != http.StatusBadRequest || !strings.Contains(page.raw, tc.expected) {
			t.Errorf("%s: status %d, want 400 with %q", tc.name, page.status, tc.expected)
		}
		if ids := auditRowIDs(t, page); len(ids) != 0 {
			t.Errorf("%s: invalid filter lists %d entries", tc.name, len(ids))
		}
	}
}

func TestAuditPageOlderEntries(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	ctx := context.Background()
	for i := range 60 {
		event := store.AuditEvent{Actor: "user:ada", Action: "cache.clear", Target: "entry-" + strconv.Itoa(i)}
		if err := env.app.Store.Audit(ctx, event); err != nil {
			t.Fatalf("writing audit entry %d: %v", i, err)
		}
	}

	first := env.doWith(t, admin, http.MethodGet, "/audit?action=cache.clear", "", "", nil)
	firstIDs := auditRowIDs(t, first)
	if len(firstIDs) != 50 {
		t.Fatalf("first page lists %d entries, want 50", len(firstIDs))
	}
	older := regexp.MustCompile(`<a href="([^"]+)" rel="next" id="audit-older">`).FindStringSubmatch(first.raw)
	if older == nil {
		t.Fatalf("first page has no link to older entries")
	}
	next := strings.ReplaceAll(older[1], "&amp;", "&")
	wantNext := "/audit?action=cache.clear&before=" + strconv.FormatInt(firstIDs[49], 10)
	if next != wantNext {
		t.Errorf("older entries link %q, want %q", next, wantNext)
	}

	second := env.doWith(t, admin, http.MethodGet, next, "", "", nil)
	secondIDs := auditRowIDs(t, second)
	if len(secondIDs) != 10 {
		t.Fatalf("second page lists %d entries, want 10", len(secondIDs))
	}
	if secondIDs[0] >= firstIDs[49] {
		t.Errorf("second page starts at %d, want older than %d", secondIDs[0], firstIDs[49])
	}
	if strings.Contains(second.raw, `id="audit-older"`) {
		t.Errorf("last page offers older entries")
	}
	if !strings.Contains(second.raw, `href="/audit?action=cache.clear">Newest entries</a>`) {
		t.Errorf("second page lacks the link back to the newest entries")
	}
}

func TestAuditPageInSpanish(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	page := env.doWith(t, admin, http.MethodGet, "/audit?lang=es", "", "", nil)
	for _, text := range []string{"<h1>Registro de auditoría</h1>", "Inicio de sesión", "Todas las acciones", "Autor", "Dirección del cliente", "Filtrar", "Quitar filtros"} {
		if !strings.Contains(page.raw, text) {
			t.Errorf("Spanish audit page lacks %q", text)
		}
	}
	for _, text := range []string{"All actions", "Client address", "Clear filters", ">Sign-in<"} {
		if strings.Contains(page.raw, text) {
			t.Errorf("Spanish audit page shows the English %q", text)
		}
	}
	if key := untranslatedKey.FindString(page.raw); key != "" {
		t.Errorf("Spanish audit page shows the untranslated key %s", key)
	}
}

func TestAuditAPIFiltersByActorAndTarget(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	env.signIn(t, "ada", "admin")
	env.signIn(t, "bob", "viewer")
	key := env.createAPIKey(t, "admin")

	cases := []struct {
		query   string
		targets []string
	}{
		{"actor=user:bob", []string{"bob"}},
		{"target=ada", []string{"ada"}},
		{"action=auth.login&actor=user:ada", []string{"ada"}},
		{"actor=user:b", nil},
	}
	for _, tc := range cases {
		r := env.do(t, http.MethodGet, "/ehr/audit-log?"+tc.query, "", "", bearer(key))
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", tc.query, r.status, r.raw)
		}
		entries, _ := r.json["entries"].([]any)
		var targets []string
		for _, item := range entries {
			entry := item.(map[string]any)
			targets = append(targets, entry["target"].(string))
			if entry["clientIp"] != "127.0.0.1" {
				t.Errorf("%s: entry clientIp %v, want 127.0.0.1", tc.query, entry["clientIp"])
			}
		}
		if strings.Join(targets, ",") != strings.Join(tc.targets, ",") {
			t.Errorf("%s: targets %v, want %v", tc.query, targets, tc.targets)
		}
	}
}
