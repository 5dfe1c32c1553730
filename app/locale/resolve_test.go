package locale

import (
	"testing"

	"golang.org/x/text/language"
)

func TestCatalogResolve(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	cases := []struct {
		name           string
		requested      string
		query          string
		acceptLanguage string
		want           language.Tag
	}{
		{"nothing given", "", "", "", language.English},
		{"body wins over query and header", "es", "en", "en", language.Spanish},
		{"body english wins over spanish query", "en", "es", "es", language.English},
		{"query wins over header", "", "es", "en-US", language.Spanish},
		{"header alone", "", "", "es-ES,es;q=0.9,en;q=0.8", language.Spanish},
		{"regional body tag", "es-MX", "", "", language.Spanish},
		{"upper case body tag", "ES", "", "", language.Spanish},
		{"regional english", "", "en-GB", "es", language.English},
		{"unsupported body falls to query", "fr", "es", "", language.Spanish},
		{"unsupported body and query fall to header", "fr", "de", "es", language.Spanish},
		{"invalid body tag falls through", "not a tag!", "", "es", language.Spanish},
		{"blank body falls through", "   ", "", "es", language.Spanish},
		{"header order honoured", "", "", "fr, es;q=0.5, en;q=0.1", language.Spanish},
		{"header with only unsupported", "fr", "", "fr-CA, de", language.English},
		{"header refusing spanish", "", "", "es;q=0, fr", language.English},
		{"header wildcard", "", "", "*", language.English},
		{"malformed header", "", "", "garbage;;", language.English},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := catalog.Resolve(tc.requested, tc.query, tc.acceptLanguage)
			if got != tc.want {
				t.Errorf("Resolve(%q, %q, %q) = %v, want %v", tc.requested, tc.query, tc.acceptLanguage, got, tc.want)
			}
		})
	}
}
