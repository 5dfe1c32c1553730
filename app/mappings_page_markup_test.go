package app_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestConfigPagesHaveNoStrayElseAttribute(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	paths := []string{
		"/mappings", "/mappings/Athena", "/mappings/Allscripts", "/mappings/Athena/versions",
		"/mappings/Athena/versions?from=1&to=1", "/systems", "/systems/new", "/systems/Athena", "/systems/Allscripts",
	}
	for _, path := range paths {
		for _, lang := range []string{"en", "es"} {
			t.Run(path+" "+lang, func(t *testing.T) {
				t.Parallel()
				checkConfigPage(t, env, configPage{name: path + " in " + lang, path: path + configLangQuery(path, lang), status: http.StatusOK})
			})
		}
	}

	t.Run("editor with a broken rule", func(t *testing.T) {
		t.Parallel()
		form := configEditorForm(t, env, "Athena")
		configAddRule(t, form, 0, "firstName", "", "", "", "")
		r := configSend(t, env, "/mappings/Athena", form, false)
		if tag := configStrayElse.FindString(r.raw); tag != "" {
			t.Errorf("editor with a broken rule has a stray else attribute in %s", tag)
		}
	})
}

func TestConfigStrayElsePatternFindsOnlyTags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		html  string
		found bool
	}{
		{"else before the end of a tag", `<input type="text" value="" else>`, true},
		{"else between attributes", `<input value="" else aria-describedby="x">`, true},
		{"else in a self-closing tag", `<input value="" else/>`, true},
		{"else in text", `<p>Something else happened</p>`, false},
		{"clean input", `<input type="text" value="" aria-describedby="help">`, false},
	}
	for _, c := range cases {
		if got := configStrayElse.MatchString(c.html); got != c.found {
			t.Errorf("%s: match %v, want %v", c.name, got, c.found)
		}
	}
}

// configLangQuery returns the query suffix that selects lang for path.
func configLangQuery(path, lang string) string {
	if lang == "en" {
		return ""
	}
	sep := "?"
	if u, err := url.Parse(path); err == nil && u.RawQuery != "" {
		sep = "&"
	}

	return sep + "lang=" + lang
}
