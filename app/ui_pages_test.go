package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// anyUntranslatedKey finds a locale key of any area shown instead of its
// message.
var anyUntranslatedKey = regexp.MustCompile(`\b(page|error|field|send|ehr_call)\.[a-z_]+(\.[a-z_]+)?\b`)

func TestEveryPageRendersInBothLanguages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	sent := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	id := sent.json["transactionId"].(string)

	pages := []string{
		"/", "/send", "/bulk", "/mappings", "/mappings/Athena", "/mappings/Athena/versions", "/systems",
		"/systems/new", "/systems/Athena", "/transactions", "/transactions/" + id, "/queue", "/cache", "/simulator",
	}
	for _, path := range pages {
		for _, lang := range []string{"en", "es"} {
			r := env.get(t, path+"?lang="+lang)
			if r.status != http.StatusOK {
				t.Errorf("%s in %s: status %d", path, lang, r.status)
				continue
			}
			if !strings.Contains(r.raw, `<html lang="`+lang+`"`) {
				t.Errorf("%s in %s: page is not in that language", path, lang)
			}
			if key := anyUntranslatedKey.FindString(r.raw); key != "" {
				t.Errorf("%s in %s shows the untranslated key %s", path, lang, key)
			}
			if strings.Contains(r.raw, "%!") {
				t.Errorf("%s in %s shows a formatting error", path, lang)
			}
		}
	}
}

func TestLanguageSwitchKeepsFilters(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	page := env.get(t, "/transactions?status=failed&lang=en")
	want := `/lang/es?next=` + url.QueryEscape("/transactions?status=failed")
	if !strings.Contains(page.raw, strings.ReplaceAll(want, "&", "&amp;")) && !strings.Contains(page.raw, want) {
		t.Errorf("language link does not come back to the filtered list; want %s", want)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(env.server.URL + want)
	if err != nil {
		t.Fatalf("switching language: %v", err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Location"); got != "/transactions?status=failed" {
		t.Errorf("switch redirects to %q, want the filtered list", got)
	}
	for _, next := range []string{"https://elsewhere.test/", "//elsewhere.test", `/\elsewhere`} {
		resp, err := client.Get(env.server.URL + "/lang/es?next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatalf("switching language: %v", err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != "/" {
			t.Errorf("next=%s redirects to %q, want /", next, got)
		}
	}
	if r := env.get(t, "/favicon.ico"); r.status != http.StatusNoContent {
		t.Errorf("favicon: %d, want 204", r.status)
	}
}
