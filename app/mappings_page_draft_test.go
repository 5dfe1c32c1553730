package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ehrbridge/views"
)

func TestConfigMappingDraftOperations(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	base := configEditorForm(t, env, "Athena")

	tests := []struct {
		name   string
		op     string
		focus  string
		want   []string
		forbid []string
		check  func(t *testing.T, page string)
	}{
		{
			name: "add a rule", op: "add-rule:0", focus: views.RuleInputID(0, 9, "source"),
			want: []string{`id="` + views.RuleInputID(0, 9, "source") + `"`, `name="ep.0.rules" value="10"`},
		},
		{
			name: "remove a rule", op: "remove-rule:0:0", focus: views.RuleInputID(0, 0, "source"),
			want:   []string{`name="ep.0.rules" value="8"`, `value="PATIENT_LAST_NAME"`},
			forbid: []string{`value="PATIENT_FIRST_NAME"`},
		},
		{
			name: "move a rule down", op: "down-rule:0:0", focus: "op-up-rule-0-1",
			check: func(t *testing.T, page string) {
				if strings.Index(page, `value="PATIENT_LAST_NAME"`) > strings.Index(page, `value="PATIENT_FIRST_NAME"`) {
					t.Errorf("move a rule down: PATIENT_FIRST_NAME is still before PATIENT_LAST_NAME")
				}
			},
		},
		{
			name: "move a rule up", op: "up-rule:1:3", focus: "op-up-rule-1-2",
			check: func(t *testing.T, page string) {
				if strings.Index(page, `value="CURRENT_SYMPTOMS_PATIENT"`) > strings.Index(page, `value="PATIENT_MEDICATIONS_CURRENT"`) {
					t.Errorf("move a rule up: CURRENT_SYMPTOMS_PATIENT is still after PATIENT_MEDICATIONS_CURRENT")
				}
			},
		},
		{
			name: "add an endpoint", op: "add-endpoint", focus: views.EndpointInputID(5, "name"),
			want: []string{`name="endpoints" value="6"`, `id="` + views.EndpointInputID(5, "name") + `"`, `id="` + views.RuleInputID(5, 0, "target") + `"`},
		},
		{
			name: "remove an endpoint", op: "remove-endpoint:4", focus: "op-add-endpoint",
			want:   []string{`name="endpoints" value="4"`},
			forbid: []string{`value="insurance_info"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			form := configCopy(base)
			form.Set("op", tt.op)

			fragment := configSend(t, env, "/mappings/Athena/draft", form, true)
			if fragment.status != http.StatusOK || !strings.HasPrefix(fragment.raw, `<div id="mapping-editor">`) {
				t.Fatalf("%s with HTMX: status %d, want 200 with the editor alone", tt.name, fragment.status)
			}
			full := configSend(t, env, "/mappings/Athena", form, false)
			if full.status != http.StatusOK || !strings.Contains(full.raw, "<!doctype html>") {
				t.Fatalf("%s without JavaScript: status %d, want 200 with the whole page", tt.name, full.status)
			}
			for _, page := range []string{fragment.raw, full.raw} {
				if focused := regexp.MustCompile(`<[^>]*id="([^"]+)"[^>]*autofocus`).FindAllStringSubmatch(page, -1); len(focused) != 1 || focused[0][1] != tt.focus {
					t.Errorf("%s: focused elements %v, want only %s", tt.name, focused, tt.focus)
				}
				for _, want := range tt.want {
					if !strings.Contains(page, want) {
						t.Errorf("%s: answer lacks %q", tt.name, want)
					}
				}
				for _, forbid := range tt.forbid {
					if strings.Contains(page, forbid) {
						t.Errorf("%s: answer still has %q", tt.name, forbid)
					}
				}
				if tt.check != nil {
					tt.check(t, page)
				}
			}
		})
	}
	if version, _ := configCurrentMapping(t, env, "Athena"); version != 1 {
		t.Errorf("a draft operation saved the mapping: current version %d, want 1", version)
	}
}

func TestConfigMappingDraftRejectsBadOperations(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	base := configEditorForm(t, env, "Athena")

	for _, op := range []string{"", "explode", "remove-rule:0:99", "up-rule:0:0", "remove-endpoint:7", "add-rule:x"} {
		form := configCopy(base)
		form.Set("op", op)
		if r := configSend(t, env, "/mappings/Athena/draft", form, true); r.status != http.StatusBadRequest {
			t.Errorf("op %q: status %d, want 400", op, r.status)
		}
	}
	form := configCopy(base)
	form.Set("endpoints", "100000")
	if r := configSend(t, env, "/mappings/Athena/draft", form, true); r.status != http.StatusBadRequest {
		t.Errorf("an endpoint count far above the limit: status %d, want 400", r.status)
	}
	form.Del("_csrf")
	r := env.do(t, http.MethodPost, "/mappings/Athena/draft", "application/x-www-form-urlencoded", form.Encode(), nil)
	if r.status != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: status %d, want 403", r.status)
	}
}

func TestConfigMappingPreview(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	base := configEditorForm(t, env, "Athena")

	broken := configCopy(base)
	configRule(broken, 0, 2, "name", "", "PATIENT_IDENT_NAME", "dateFormat", "MM/DD/YYYY")
	withAnswer := configCopy(base)
	configAddRule(t, withAnswer, 0, "answers.", "smoking", "SMOKING", "", "")
	nothing := configCopy(base)
	for i := range 5 {
		nothing.Set(views.EndpointFieldName(i, "rules"), "1")
		configRule(nothing, i, 0, "identifiers.ehrPatientId", "", "EHR_ID", "", "")
	}

	tests := []struct {
		name   string
		path   string
		form   url.Values
		want   []string
		forbid []string
	}{
		{name: "current mapping", path: "/mappings/Athena/preview", form: base,
			want: []string{"patient_demographics", "Call 1 of the send.", "PATIENT_IDENT_NAME", "Elena Vasquez-Moore",
				"DATE_OF_BIRTH_PATIENT", "03/18/1974", "ALLERGIES_PATIENT", "Penicillin, Tree nuts", "identifies the patient"}},
		{name: "answer rule", path: "/mappings/Athena/preview", form: withAnswer,
			want: []string{"SMOKING", "never", "answers"}},
		{name: "invalid draft names the rule", path: "/mappings/Athena/preview", form: broken,
			want:   []string{"The draft cannot be applied:", "Transform of rule 3 of endpoint patient_demographics uses a date format"},
			forbid: []string{"Call 1 of the send."}},
		{name: "invalid draft in Spanish", path: "/mappings/Athena/preview?lang=es", form: broken,
			want: []string{"El borrador no se puede aplicar:", "regla 3"}},
		{name: "nothing to send", path: "/mappings/Athena/preview", form: nothing,
			want: []string{"The sample patient has no value that this mapping sends"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := configSend(t, env, tt.path, tt.form, true)
			if r.status != http.StatusOK || strings.Contains(r.raw, "<html") {
				t.Fatalf("%s: status %d, want 200 with the preview alone", tt.name, r.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.raw, want) {
					t.Errorf("%s: preview lacks %q", tt.name, want)
				}
			}
			for _, forbid := range tt.forbid {
				if strings.Contains(r.raw, forbid) {
					t.Errorf("%s: preview has %q", tt.name, forbid)
				}
			}
			if key := configUntranslated.FindString(r.raw); key != "" {
				t.Errorf("%s: preview shows the untranslated key %s", tt.name, key)
			}
		})
	}

	withoutJS := configCopy(withAnswer)
	withoutJS.Set("op", "preview")
	full := configSend(t, env, "/mappings/Athena", withoutJS, false)
	if full.status != http.StatusOK || !strings.Contains(full.raw, `<form id="mapping-form"`) || !strings.Contains(full.raw, "<td><code>SMOKING</code></td>") {
		t.Errorf("preview without JavaScript: status %d, want the editor page with the draft's preview", full.status)
	}
	if version, _ := configCurrentMapping(t, env, "Athena"); version != 1 {
		t.Errorf("a preview saved the mapping: current version %d, want 1", version)
	}
}

// configCopy copies form values, so a table case can change its own.
func configCopy(form url.Values) url.Values {
	out := make(url.Values, len(form))
	for key, values := range form {
		out[key] = append([]string(nil), values...)
	}

	return out
}
