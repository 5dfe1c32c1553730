package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ehrbridge/views"
)

func TestConfigMappingPreviewMarksBrokenInputs(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	base := configEditorForm(t, env, "Athena")
	target := views.RuleInputID(0, 1, "target")
	markedTarget := regexp.MustCompile(`id="` + target + `"[^>]*aria-invalid="true"[^>]*aria-describedby="` + target + `-error"`)

	broken := configCopy(base)
	configRule(broken, 0, 1, "lastName", "", "", "", "")
	fixedAfterErrors := configCopy(base)
	fixedAfterErrors.Set(views.MappingShownErrorsField, "errors shown before")

	tests := []struct {
		name      string
		path      string
		form      url.Values
		htmx      bool
		marked    bool
		outOfBand bool
		want      []string
		forbid    []string
	}{
		{name: "broken rule", path: "/mappings/Athena/preview", form: broken, htmx: true, marked: true, outOfBand: true,
			want:   []string{"The draft cannot be applied:", "EHR field of rule 2 of endpoint patient_demographics is missing", `id="` + target + `-error"`},
			forbid: []string{", target is missing", "target is missing"}},
		{name: "broken rule in Spanish", path: "/mappings/Athena/preview?lang=es", form: broken, htmx: true, marked: true, outOfBand: true,
			want:   []string{"El borrador no se puede aplicar:", "Campo del EHR de la regla 2 del endpoint patient_demographics falta"},
			forbid: []string{"target falta"}},
		{name: "broken rule without JavaScript", path: "/mappings/Athena", form: configWithOp(broken, "preview"), marked: true,
			want: []string{`<form id="mapping-form"`, "EHR field of rule 2 of endpoint patient_demographics is missing", `href="#` + target + `"`}},
		{name: "valid draft with no errors shown", path: "/mappings/Athena/preview", form: base, htmx: true,
			want: []string{"Call 1 of the send."}},
		{name: "fixed draft clears the marks", path: "/mappings/Athena/preview", form: fixedAfterErrors, htmx: true, outOfBand: true,
			want: []string{"Call 1 of the send.", `id="` + target + `"`}, forbid: []string{`aria-invalid="true"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := configSend(t, env, tt.path, tt.form, tt.htmx)
			if r.status != http.StatusOK {
				t.Fatalf("%s: status %d, want 200", tt.name, r.status)
			}
			if got := markedTarget.MatchString(r.raw); got != tt.marked {
				t.Errorf("%s: EHR field input marked invalid %v, want %v", tt.name, got, tt.marked)
			}
			if got := strings.Contains(r.raw, `id="mapping-editor" hx-swap-oob="true"`); got != tt.outOfBand {
				t.Errorf("%s: editor swapped out of band %v, want %v", tt.name, got, tt.outOfBand)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.raw, want) {
					t.Errorf("%s: response lacks %q", tt.name, want)
				}
			}
			for _, forbid := range tt.forbid {
				if strings.Contains(r.raw, forbid) {
					t.Errorf("%s: response has %q", tt.name, forbid)
				}
			}
		})
	}
}

// configWithOp copies an editor form and sets the op its button sends.
func configWithOp(form url.Values, op string) url.Values {
	out := configCopy(form)
	out.Set("op", op)

	return out
}
