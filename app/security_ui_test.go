package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRolesOnPages(t *testing.T) {
	env := setupProduction(t, nil)
	clients := map[string]*http.Client{
		"viewer": env.signIn(t, "vera", "viewer"), "operator": env.signIn(t, "oscar", "operator"), "admin": env.signIn(t, "ada", "admin"),
	}
	cases := []struct {
		path    string
		allowed map[string]bool
	}{
		{"/transactions", map[string]bool{"viewer": true, "operator": true, "admin": true}},
		{"/send", map[string]bool{"operator": true, "admin": true}},
		{"/bulk", map[string]bool{"operator": true, "admin": true}},
		{"/systems/new", map[string]bool{"admin": true}},
		{"/mappings/Athena", map[string]bool{"admin": true}},
		{"/admin/riverui", map[string]bool{"admin": true}},
	}

	for _, tc := range cases {
		for role, client := range clients {
			answer := env.doWith(t, client, http.MethodGet, tc.path, "", "", nil)
			if tc.allowed[role] && answer.status >= 400 {
				t.Errorf("%s GET %s: status %d, want allowed", role, tc.path, answer.status)
			}
			if !tc.allowed[role] && answer.status != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", role, tc.path, answer.status)
			}
		}
	}
}

func TestStateChangeNeedsCSRFToken(t *testing.T) {
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	without := env.doWith(t, admin, http.MethodPost, "/cache/clear", "application/x-www-form-urlencoded", "confirm=yes", nil)
	if without.status != http.StatusForbidden || !strings.Contains(without.raw, "did not come from this site") {
		t.Fatalf("POST without a token: %d, want 403 with the CSRF message", without.status)
	}
	forged := env.doWith(t, admin, http.MethodPost, "/cache/clear", "application/x-www-form-urlencoded", "confirm=yes&_csrf=forged", nil)
	if forged.status != http.StatusForbidden {
		t.Fatalf("POST with a forged token: %d, want 403", forged.status)
	}
	with := env.postFormAs(t, admin, "/cache", "/cache/clear", url.Values{"confirm": {"yes"}})
	if with.status == http.StatusForbidden {
		t.Fatalf("POST with the page's token: 403 %s", with.raw)
	}
}

func TestLoginSetsSafeCookieAndAudits(t *testing.T) {
	env := setupProduction(t, nil)
	env.createUser(t, "ada", "admin")
	client := newBrowserClient(t)

	answer := env.postFormAs(t, client, "/login?next=/queue", "/login", url.Values{
		"username": {"ADA"}, "password": {testPassword}, "next": {"/queue"},
	})
	if answer.status != http.StatusSeeOther || answer.header.Get("Location") != "/queue" {
		t.Fatalf("sign-in: %d to %q, want 303 to /queue", answer.status, answer.header.Get("Location"))
	}
	cookie := sessionCookieOf(t, answer)
	if !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie HttpOnly %v Secure %v SameSite %v; want all set, Strict", cookie.HttpOnly, cookie.Secure, cookie.SameSite)
	}
	if hsts := answer.header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("production answer without HSTS: %q", hsts)
	}

	admin := env.createAPIKey(t, "admin")
	log := env.do(t, http.MethodGet, "/ehr/audit-log?action=auth.login", "", "", bearer(admin))
	if !strings.Contains(log.raw, `"actor":"user:ada"`) {
		t.Errorf("audit log lacks the sign-in by user:ada: %s", log.raw)
	}
}

func sessionCookieOf(t *testing.T, answer response) *http.Cookie {
	t.Helper()
	for _, cookie := range (&http.Response{Header: answer.header}).Cookies() {
		if cookie.Name == "ehrbridge_session" {
			return cookie
		}
	}
	t.Fatalf("no session cookie set")

	return nil
}

func TestWrongPasswordIsRejectedAndAudited(t *testing.T) {
	env := setupProduction(t, nil)
	env.createUser(t, "ada", "admin")
	client := newBrowserClient(t)

	for _, form := range []url.Values{
		{"username": {"ada"}, "password": {"wrong password!"}},
		{"username": {"nobody"}, "password": {testPassword}},
	} {
		answer := env.postFormAs(t, client, "/login", "/login", form)
		if answer.status != http.StatusUnauthorized || !strings.Contains(answer.raw, "not correct") {
			t.Errorf("sign-in as %s: %d, want 401 with the failure message", form.Get("username"), answer.status)
		}
		if strings.Contains(answer.raw, form.Get("password")) {
			t.Errorf("failed sign-in page repeats the password")
		}
	}

	admin := env.createAPIKey(t, "admin")
	log := env.do(t, http.MethodGet, "/ehr/audit-log?action=auth.login_failed", "", "", bearer(admin))
	if entries, _ := log.json["entries"].([]any); len(entries) != 2 {
		t.Errorf("%d failed sign-ins audited, want 2: %s", len(entries), log.raw)
	}
}

func TestSignOutEndsSession(t *testing.T) {
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	out := env.postFormAs(t, admin, "/queue", "/logout", url.Values{})
	if out.status != http.StatusSeeOther || !strings.HasPrefix(out.header.Get("Location"), "/login") {
		t.Fatalf("sign-out: %d to %q", out.status, out.header.Get("Location"))
	}
	after := env.doWith(t, admin, http.MethodGet, "/queue", "", "", nil)
	if after.status != http.StatusSeeOther {
		t.Fatalf("page after sign-out: status %d, want 303 to /login", after.status)
	}
}

func TestLoginAttemptsAreLimited(t *testing.T) {
	env := setupProduction(t, map[string]string{"LOGIN_ATTEMPTS_PER_MINUTE": "3"})
	env.createUser(t, "ada", "admin")
	client := newBrowserClient(t)

	var last response
	for range 4 {
		last = env.postFormAs(t, client, "/login", "/login", url.Values{"username": {"ada"}, "password": {"wrong password!"}})
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("fourth attempt: status %d, Retry-After %q; want 429 with Retry-After", last.status, last.header.Get("Retry-After"))
	}
	blocked := env.postFormAs(t, client, "/login", "/login", url.Values{"username": {"ada"}, "password": {testPassword}})
	if blocked.status != http.StatusTooManyRequests {
		t.Errorf("right password while limited: status %d, want 429", blocked.status)
	}
}

func TestPageRedirectKeepsDestination(t *testing.T) {
	env := setupProduction(t, nil)

	answer := env.doWith(t, newBrowserClient(t), http.MethodGet, "/transactions?status=failed", "", "", nil)
	if answer.status != http.StatusSeeOther || answer.header.Get("Location") != "/login?next="+url.QueryEscape("/transactions?status=failed") {
		t.Fatalf("anonymous page: %d to %q", answer.status, answer.header.Get("Location"))
	}

	htmx := env.doWith(t, newBrowserClient(t), http.MethodGet, "/dashboard/live", "", "", map[string]string{"HX-Request": "true"})
	if htmx.status != http.StatusUnauthorized || !strings.HasPrefix(htmx.header.Get("HX-Redirect"), "/login") {
		t.Errorf("anonymous HTMX request: %d, HX-Redirect %q", htmx.status, htmx.header.Get("HX-Redirect"))
	}
}

func TestLoginRejectsOffSiteNext(t *testing.T) {
	env := setupProduction(t, nil)
	env.createUser(t, "ada", "admin")

	answer := env.postFormAs(t, newBrowserClient(t), "/login", "/login", url.Values{
		"username": {"ada"}, "password": {testPassword}, "next": {"//evil.example/"},
	})
	if answer.header.Get("Location") != "/" {
		t.Fatalf("sign-in with an off-site next went to %q, want /", answer.header.Get("Location"))
	}
}

func TestViewerSeesNoRollbackButton(t *testing.T) {
	env := setupProduction(t, nil)
	viewer, admin := env.signIn(t, "vera", "viewer"), env.signIn(t, "ada", "admin")
	key := env.createAPIKey(t, "admin")
	saved := env.do(t, http.MethodPost, "/ehr/save-mapping", "application/json", simpleMapping, bearer(key))
	if saved.status != http.StatusOK && saved.status != http.StatusCreated {
		t.Fatalf("saving a second version: %d %s", saved.status, saved.raw)
	}

	asViewer := env.doWith(t, viewer, http.MethodGet, "/mappings/Athena/versions", "", "", nil)
	if asViewer.status != http.StatusOK || strings.Contains(asViewer.raw, "/rollback/") {
		t.Errorf("viewer's history: status %d, rollback form shown %v", asViewer.status, strings.Contains(asViewer.raw, "/rollback/"))
	}
	asAdmin := env.doWith(t, admin, http.MethodGet, "/mappings/Athena/versions", "", "", nil)
	if !strings.Contains(asAdmin.raw, "/rollback/") {
		t.Errorf("admin's history lacks the rollback form")
	}
	if strings.Contains(asAdmin.raw, `href="/simulator"`) {
		t.Errorf("production navigation lists the simulator, which is not mounted")
	}
}

func TestSignInRenewsCSRFToken(t *testing.T) {
	env := setupProduction(t, nil)
	env.createUser(t, "ada", "admin")
	client := newBrowserClient(t)
	before := env.formToken(t, client, "/login")

	answer := env.postFormAs(t, client, "/login", "/login", url.Values{"username": {"ada"}, "password": {testPassword}})
	if answer.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", answer.status)
	}
	after := env.formToken(t, client, "/cache")
	if after == before {
		t.Fatal("the CSRF token seen before signing in still works after it")
	}
	stale := env.doWith(t, client, http.MethodPost, "/cache/clear", "application/x-www-form-urlencoded", "confirm=yes&_csrf="+url.QueryEscape(before), nil)
	if stale.status != http.StatusForbidden {
		t.Errorf("POST with the pre-sign-in token: %d, want 403", stale.status)
	}
}

func TestForbiddenPageOffersSignOut(t *testing.T) {
	env := setupProduction(t, nil)
	viewer := env.signIn(t, "vera", "viewer")
	env.formToken(t, viewer, "/transactions")

	denied := env.doWith(t, viewer, http.MethodGet, "/users", "", "", nil)
	if denied.status != http.StatusForbidden {
		t.Fatalf("viewer GET /users: %d, want 403", denied.status)
	}
	match := csrfFieldPattern.FindStringSubmatch(denied.raw)
	if match == nil || !strings.Contains(denied.raw, `action="/logout"`) {
		t.Fatalf("403 page lacks a sign-out form with a token")
	}
	out := env.doWith(t, viewer, http.MethodPost, "/logout", "application/x-www-form-urlencoded", "_csrf="+url.QueryEscape(match[1]), nil)
	if out.status != http.StatusSeeOther {
		t.Errorf("sign-out from the 403 page: %d, want 303", out.status)
	}
}

func TestRiverUIIsReadOnly(t *testing.T) {
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	list := env.doWith(t, admin, http.MethodGet, "/admin/riverui/api/jobs?state=available", "", "", nil)
	if list.status != http.StatusOK {
		t.Fatalf("River UI job list: %d %s", list.status, list.raw)
	}
	cancel := env.doWith(t, admin, http.MethodPost, "/admin/riverui/api/jobs/cancel", "application/json", `{"ids":["1"]}`, nil)
	if cancel.status != http.StatusForbidden {
		t.Errorf("River UI cancel without a CSRF token: %d, want 403", cancel.status)
	}
}
