package app_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"ehrbridge/app/auth"
)

// routePermissions is the expected permission of every route of a
// production server. A route added to the router without a line here
// fails TestEveryRouteDeniesAnonymousInProduction.
var routePermissions = map[string]auth.Permission{
	"GET /health":                                  auth.Public,
	"GET /metrics":                                 auth.Read,
	"GET /favicon.ico":                             auth.Public,
	"GET /static/*":                                auth.Public,
	"GET /login":                                   auth.Public,
	"POST /login":                                  auth.Public,
	"GET /lang/:code":                              auth.Public,
	"POST /logout":                                 auth.SignedIn,
	"POST /ehr/send-patient-data":                  auth.Send,
	"POST /ehr/send-patient-data-async":            auth.Send,
	"POST /ehr/send-patient-data/bulk":             auth.Send,
	"POST /ehr/retry-transaction/:transactionId":   auth.Send,
	"GET /ehr/queue/status":                        auth.Read,
	"GET /ehr/queue/jobs":                          auth.Read,
	"POST /ehr/queue/retry/:jobId":                 auth.Send,
	"GET /ehr/mapping/:ehrName":                    auth.Read,
	"GET /ehr/mapping/:ehrName/versions":           auth.Read,
	"GET /ehr/mapping/:ehrName/versions/:version":  auth.Read,
	"POST /ehr/save-mapping":                       auth.Admin,
	"POST /ehr/mapping/:ehrName/rollback/:version": auth.Admin,
	"GET /ehr/transactions":                        auth.Read,
	"GET /ehr/transactions/:id":                    auth.Read,
	"POST /ehr/transactions/:id/reveal":            auth.Reveal,
	"GET /ehr/systems":                             auth.Read,
	"POST /ehr/systems":                            auth.Admin,
	"PUT /ehr/systems/:name":                       auth.Admin,
	"GET /ehr/audit-log":                           auth.Admin,
	"GET /ehr/cache/stats":                         auth.Read,
	"POST /ehr/cache/invalidate/:ehrName":          auth.Admin,
	"POST /ehr/cache/clear":                        auth.Admin,
	"GET /ehr/api-keys":                            auth.Admin,
	"POST /ehr/api-keys":                           auth.Admin,
	"DELETE /ehr/api-keys/:keyId":                  auth.Admin,
	"GET /":                                        auth.Read,
	"GET /dashboard":                               auth.Read,
	"GET /dashboard/live":                          auth.Read,
	"GET /send":                                    auth.Send,
	"POST /send":                                   auth.Send,
	"GET /send/rows/:field":                        auth.Send,
	"GET /send/endpoints":                          auth.Send,
	"GET /bulk":                                    auth.Send,
	"POST /bulk/preview":                           auth.Send,
	"POST /bulk/submit":                            auth.Send,
	"GET /bulk/progress":                           auth.Send,
	"GET /transactions":                            auth.Read,
	"GET /transactions/:id":                        auth.Read,
	"GET /transactions/:id/live":                   auth.Read,
	"POST /transactions/:id/retry":                 auth.Send,
	"POST /transactions/:id/reveal":                auth.Reveal,
	"GET /queue":                                   auth.Read,
	"POST /queue/jobs/:id/retry":                   auth.Send,
	"* /admin/riverui":                             auth.Admin,
	"* /admin/riverui/*":                           auth.Admin,
	"GET /cache":                                   auth.Read,
	"POST /cache/invalidate":                       auth.Admin,
	"POST /cache/clear":                            auth.Admin,
	"GET /simulator":                               auth.Admin,
	"POST /simulator/reset":                        auth.Admin,
	"POST /simulator/faults/clear":                 auth.Admin,
	"GET /mappings":                                auth.Read,
	"GET /mappings/:ehrName":                       auth.Admin,
	"POST /mappings/:ehrName":                      auth.Admin,
	"POST /mappings/:ehrName/draft":                auth.Admin,
	"POST /mappings/:ehrName/preview":              auth.Admin,
	"GET /mappings/:ehrName/versions":              auth.Read,
	"POST /mappings/:ehrName/rollback/:version":    auth.Admin,
	"GET /systems":                                 auth.Read,
	"GET /systems/new":                             auth.Admin,
	"POST /systems":                                auth.Admin,
	"GET /systems/:name":                           auth.Admin,
	"POST /systems/:name":                          auth.Admin,
	"POST /systems/:name/test":                     auth.Admin,
	"GET /users":                                   auth.Admin,
	"POST /users":                                  auth.Admin,
	"POST /users/:id":                              auth.Admin,
	"GET /api-keys":                                auth.Admin,
	"POST /api-keys":                               auth.Admin,
	"POST /api-keys/:keyId/revoke":                 auth.Admin,
	"GET /audit":                                   auth.Admin,
}

// registeredRoute is one method and path of the router.
type registeredRoute struct {
	method, path string
}

// productionRoutes lists the routes of a production router; Echo's "any
// method" routes appear once per method.
func productionRoutes(env *testEnv) []registeredRoute {
	var routes []registeredRoute
	for _, r := range env.app.Router().Routes() {
		if r.Method == "echo_route_not_found" {
			continue // the router's own 404 fallback
		}
		path := r.Path
		if strings.HasPrefix(path, "/static/") {
			path = "/static/*" // the prefix carries the build's asset version
		}
		routes = append(routes, registeredRoute{r.Method, path})
	}

	return routes
}

// expectedPermission finds a route's line in routePermissions.
func expectedPermission(r registeredRoute) (auth.Permission, bool) {
	if perm, ok := routePermissions[r.method+" "+r.path]; ok {
		return perm, true
	}
	perm, ok := routePermissions["* "+r.path]

	return perm, ok
}

var routeParamPattern = regexp.MustCompile(`:[A-Za-z]+|\*`)

// concretePath fills a route pattern's parameters with a placeholder.
func concretePath(pattern string) string {
	return routeParamPattern.ReplaceAllString(pattern, "x1")
}

// serveDirect sends a request to the router in process, so every method,
// CONNECT and TRACE included, reaches it unchanged.
func serveDirect(env *testEnv, method, path string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(""))
	for name, value := range headers {
		req.Header.Set(name, value)
	}
	rec := httptest.NewRecorder()
	env.app.Router().ServeHTTP(rec, req)

	return rec
}

func TestEveryRouteDeniesAnonymousInProduction(t *testing.T) {
	env := setupProduction(t, nil)
	seen := map[string]bool{}

	for _, route := range productionRoutes(env) {
		perm, ok := expectedPermission(route)
		if !ok {
			t.Errorf("%s %s has no line in routePermissions", route.method, route.path)
			continue
		}
		seen[route.method+" "+route.path], seen["* "+route.path] = true, true
		if perm == auth.Public {
			continue
		}

		answer := serveDirect(env, route.method, concretePath(route.path), nil)
		if perm == auth.SignedIn && answer.Code == http.StatusSeeOther {
			continue // signing out without a session just goes to the sign-in page
		}
		if strings.HasPrefix(route.path, "/ehr/") || route.path == "/metrics" {
			if answer.Code != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s: status %d, want 401", route.method, route.path, answer.Code)
			}
			continue
		}
		location := answer.Header().Get("Location")
		if answer.Code != http.StatusSeeOther || !strings.HasPrefix(location, "/login?next=") {
			t.Errorf("anonymous %s %s: status %d to %q, want 303 to /login", route.method, route.path, answer.Code, location)
		}
	}

	for rule := range routePermissions {
		if !seen[rule] {
			t.Errorf("routePermissions lists %s, which the production router lacks", rule)
		}
	}
}

func TestPublicRoutesHoldNoData(t *testing.T) {
	env := setupProduction(t, nil)

	health := serveDirect(env, http.MethodGet, "/health", nil)
	if health.Code != http.StatusOK && health.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET /health: status %d", health.Code)
	}
	login := serveDirect(env, http.MethodGet, "/login", nil)
	if login.Code != http.StatusOK || !strings.Contains(login.Body.String(), `name="password"`) {
		t.Fatalf("GET /login: status %d without a password field", login.Code)
	}
	if strings.Contains(login.Body.String(), `href="/transactions"`) {
		t.Errorf("sign-in page links to transactions for an anonymous visitor")
	}
}

func TestUnknownRouteIsNotFoundInProduction(t *testing.T) {
	env := setupProduction(t, nil)

	answer := serveDirect(env, http.MethodGet, "/ehr/no-such-route", nil)
	if answer.Code != http.StatusNotFound {
		t.Fatalf("GET /ehr/no-such-route: status %d, want 404", answer.Code)
	}
}

func TestMistypedRoutesAreNotFound(t *testing.T) {
	env := setup(t, nil)
	cases := []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/ehr/send-patient-dat", http.StatusNotFound},
		{http.MethodPost, "/no-such-page", http.StatusNotFound},
		// The admin pages' catch-all route returns 404 for a wrong method.
		{http.MethodPut, "/ehr/cache/clear", http.StatusNotFound},
	}
	for _, tc := range cases {
		answer := serveDirect(env, tc.method, tc.path, map[string]string{"Content-Type": "application/json"})
		if answer.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, answer.Code, tc.status)
		}
	}
}
