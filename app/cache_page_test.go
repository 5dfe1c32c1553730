package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCachePages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.sendSucceeded(t, "Athena", 1)

	cases := []pageCase{
		{
			name: "cache in English", path: "/cache", status: http.StatusOK,
			expected: []string{
				"<h1>Mapping cache</h1>", `id="tier-local"`, `id="tier-redis"`, `id="tier-database"`, "Hit rate",
				"99th percentile lookup", "not counted", `id="redis-state"`, "EHR invalidations", "Full clears",
				`<input type="hidden" name="ehr" value="Athena">`, `<input type="hidden" name="ehr" value="Allscripts">`,
				"Invalidate Athena", `action="/cache/clear"`, `name="_csrf"`,
			},
		},
		{
			name: "cache in Spanish", path: inSpanish("/cache"), status: http.StatusOK,
			expected: []string{"<h1>Caché de mapeos</h1>", "Tasa de aciertos", "Invalidar Athena", "Vaciar toda la caché", "%"},
		},
		{
			name: "notice names only a configured EHR", path: "/cache?invalidated=Elsewhere", status: http.StatusOK,
			// The language switch keeps the query, but no notice repeats it.
			forbidden: []string{`role="status"`, "of Elsewhere"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}
}

func TestCacheInvalidateFromPage(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postForm(t, "/cache/invalidate", url.Values{"ehr": {"athena"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/cache?invalidated=Athena" {
		t.Fatalf("invalidate: status %d, Location %q; want 303 to /cache?invalidated=Athena", r.status, r.header.Get("Location"))
	}
	if n := env.app.Cache.Stats().Invalidations; n != 1 {
		t.Errorf("cache counted %d invalidations, want 1", n)
	}
	entries := env.auditEntries(t, "cache.invalidate")
	if len(entries) != 1 || entries[0].Target != "Athena" {
		t.Errorf("audit log has %+v, want one cache.invalidate entry for Athena", entries)
	}
	checkPage(t, env, pageCase{
		name: "notice after invalidating", path: inSpanish("/cache?invalidated=Athena"), status: http.StatusOK,
		expected: []string{"Se invalidó el mapeo en caché de Athena."},
	})

	t.Run("unknown EHR", func(t *testing.T) {
		r := env.postForm(t, "/cache/invalidate", url.Values{"ehr": {"Nowhere"}})
		if r.status != http.StatusNotFound || !strings.Contains(r.raw, "No EHR named Nowhere is configured.") {
			t.Errorf("invalidate an unknown EHR: status %d, want 404 naming it", r.status)
		}
	})
	t.Run("no CSRF token", func(t *testing.T) {
		r := env.do(t, http.MethodPost, "/cache/invalidate", "application/x-www-form-urlencoded", "ehr=Athena", nil)
		if r.status != http.StatusForbidden {
			t.Errorf("invalidate without the CSRF token: status %d, want 403", r.status)
		}
	})
	if n := len(env.auditEntries(t, "cache.invalidate")); n != 1 {
		t.Errorf("audit log has %d cache.invalidate entries after refused requests, want 1", n)
	}
}

func TestCacheClearNeedsConfirmation(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	cases := []struct {
		lang     string
		expected []string
	}{
		{"en", []string{"Clear the whole cache?", "Yes, clear the cache", `name="confirm" value="yes"`, `href="/cache"`}},
		{"es", []string{"¿Vaciar toda la caché?", "Sí, vaciar la caché", "Cancelar"}},
	}
	for _, tc := range cases {
		r := env.postForm(t, "/cache/clear?lang="+tc.lang, url.Values{})
		if r.status != http.StatusOK {
			t.Errorf("%s: clear without confirmation: status %d, want 200 with the confirmation page", tc.lang, r.status)
		}
		for _, text := range tc.expected {
			if !strings.Contains(r.raw, text) {
				t.Errorf("%s: confirmation page lacks %q", tc.lang, text)
			}
		}
		if key := untranslatedKey.FindString(r.raw); key != "" {
			t.Errorf("%s: confirmation page shows the untranslated key %s", tc.lang, key)
		}
	}
	if n := env.app.Cache.Stats().Clears; n != 0 {
		t.Fatalf("cache cleared %d times before the confirmation", n)
	}
	if n := len(env.auditEntries(t, "cache.clear")); n != 0 {
		t.Fatalf("audit log has %d cache.clear entries before the confirmation", n)
	}

	r := env.postForm(t, "/cache/clear", url.Values{"confirm": {"yes"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/cache?cleared=1" {
		t.Fatalf("confirmed clear: status %d, Location %q; want 303 to /cache?cleared=1", r.status, r.header.Get("Location"))
	}
	if n := env.app.Cache.Stats().Clears; n != 1 {
		t.Errorf("cache cleared %d times after the confirmation, want 1", n)
	}
	if n := len(env.auditEntries(t, "cache.clear")); n != 1 {
		t.Errorf("audit log has %d cache.clear entries after the confirmation, want 1", n)
	}
	checkPage(t, env, pageCase{
		name: "notice after clearing", path: "/cache?cleared=1", status: http.StatusOK,
		expected: []string{"Every cached mapping was cleared."},
	})
}
