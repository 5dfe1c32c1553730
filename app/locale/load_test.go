package locale

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadRejectsBrokenFiles(t *testing.T) {
	t.Parallel()

	validEnglish := `{"field.required": "%[1]s is required"}`
	validSpanish := `{"field.required": "%[1]s es obligatorio"}`
	cases := []struct {
		name      string
		files     fstest.MapFS
		wantParts []string
	}{
		{"invalid JSON", mapFS(validEnglish, `{"field.required": `), []string{"es.json"}},
		{"not an object", mapFS(validEnglish, `["field.required"]`), []string{"es.json", "JSON object"}},
		{"nested object", mapFS(validEnglish, `{"field": {"required": "x"}}`), []string{"es.json", `"field"`}},
		{"number value", mapFS(validEnglish, `{"field.required": 3}`), []string{"es.json", `"field.required"`}},
		{"repeated key", mapFS(validEnglish, `{"field.required": "%[1]s a", "field.required": "%[1]s b"}`),
			[]string{"es.json", `"field.required"`, "twice"}},
		{"trailing data", mapFS(validEnglish, validSpanish+` {}`), []string{"es.json", "after"}},
		{"key missing in spanish", mapFS(`{"field.required": "%[1]s is required", "error.internal": "Failed."}`, validSpanish),
			[]string{"es.json", `"error.internal"`}},
		{"key missing in english", mapFS(validEnglish, `{"field.required": "%[1]s es obligatorio", "error.extra": "Extra."}`),
			[]string{"en.json", `"error.extra"`}},
		{"different verbs", mapFS(validEnglish, `{"field.required": "%[2]s es obligatorio"}`),
			[]string{"es.json", `"field.required"`, "verbs"}},
		{"verb without index", mapFS(`{"field.required": "%s is required"}`, validSpanish),
			[]string{"en.json", `"field.required"`, "explicit argument index"}},
		{"variable syntax", mapFS(validEnglish, `{"field.required": "%[1]s ${x}"}`), []string{"es.json", `"field.required"`}},
		{"english missing", fstest.MapFS{"es.json": {Data: []byte(validSpanish)}}, []string{"en.json"}},
		{"file name not a language", fstest.MapFS{
			"en.json":        {Data: []byte(validEnglish)},
			"not_a_tag.json": {Data: []byte(validSpanish)},
		}, []string{"not_a_tag.json"}},
		{"unknown language", fstest.MapFS{
			"en.json":      {Data: []byte(validEnglish)},
			"klingon.json": {Data: []byte(validSpanish)},
		}, []string{"klingon.json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			catalog, err := Load(tc.files)
			if err == nil {
				t.Fatalf("Load = %v, want an error", catalog)
			}
			for _, part := range tc.wantParts {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("Load error %q does not mention %s", err, part)
				}
			}
		})
	}
}

func TestLoadAcceptsPercentSign(t *testing.T) {
	t.Parallel()

	catalog, err := Load(mapFS(`{"field.share": "%[1]s must be 0 to 100%%"}`, `{"field.share": "%[1]s debe ser de 0 a 100 %%"}`))
	if err != nil {
		t.Fatalf("Load error: %v", err)
	}
	if got := catalog.Text(catalog.Supported()[0], "field.share", "share"); got != "share must be 0 to 100%" {
		t.Errorf("Text = %q, want a literal percent sign", got)
	}
}

func mapFS(english, spanish string) fstest.MapFS {
	return fstest.MapFS{
		"en.json": {Data: []byte(english)},
		"es.json": {Data: []byte(spanish)},
	}
}
