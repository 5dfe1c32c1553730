package app_test

import (
	"net/http"
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
