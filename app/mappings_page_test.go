package app_test

import (
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ehrbridge/views"
)

func TestConfigMappingPagesRender(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	pages := []configPage{
		{name: "list", path: "/mappings", status: http.StatusOK,
			want: []string{"<h1>Mappings</h1>", "Athena", "Allscripts", "Version 1", `href="/mappings/Athena/versions"`}},
		{name: "list in Spanish", path: "/mappings?lang=es", status: http.StatusOK,
			want: []string{"<h1>Mapeos</h1>", "Versión 1", "Historial de versiones"}},
		{name: "athena editor", path: "/mappings/Athena", status: http.StatusOK,
			want: []string{"Mapping of Athena", `value="patient_demographics"`, `value="PATIENT_FIRST_NAME"`,
				`<option value="dateFormat" selected`, `value="MM/DD/YYYY"`, `name="_csrf"`, `hx-post="/mappings/Athena/draft"`,
				`name="op" value="add-rule:0"`, "Preview", "PATIENT_FIRST_NAME", "Elena"}},
		{name: "athena editor in Spanish", path: "/mappings/Athena?lang=es", status: http.StatusOK,
			want: []string{"Mapeo de Athena", "Añadir regla", "Vista previa", "Guardar mapeo"}},
		{name: "allscripts editor keeps prefixed sources", path: "/mappings/allscripts", status: http.StatusOK,
			want: []string{"Mapping of Allscripts", `<option value="p_gender" selected`, `value="female=F, male=M, other=O, unknown=U"`,
				`value="SavePatient"`}},
		{name: "history", path: "/mappings/Athena/versions", status: http.StatusOK,
			want:   []string{"Versions of the Athena mapping", "default mapping", "current", "Compare"},
			forbid: []string{"Roll back to version 1"}},
		{name: "history in Spanish", path: "/mappings/Athena/versions?lang=es", status: http.StatusOK,
			want: []string{"Versiones del mapeo de Athena", "actual", "Comparar"}},
		{name: "diff of one version with itself", path: "/mappings/Athena/versions?from=1&to=1", status: http.StatusOK,
			want: []string{"Changes from version 1 to version 1", "The two versions send the same fields the same way."}},
		{name: "unknown EHR", path: "/mappings/Nowhere", status: http.StatusNotFound,
			want: []string{"No EHR named Nowhere is configured."}},
		{name: "unknown EHR in Spanish", path: "/mappings/Nowhere?lang=es", status: http.StatusNotFound,
			want: []string{"No hay ningún EHR configurado con el nombre Nowhere"}},
		{name: "unknown version", path: "/mappings/Athena/versions?from=1&to=9", status: http.StatusNotFound,
			want: []string{"has no mapping version 9"}},
		{name: "version not a number", path: "/mappings/Athena/versions?from=one&to=1", status: http.StatusBadRequest},
	}
	for _, page := range pages {
		t.Run(page.name, func(t *testing.T) {
			t.Parallel()
			checkConfigPage(t, env, page)
		})
	}
}

// configRule sets the inputs of one rule in an editor form.
func configRule(form url.Values, endpoint, rule int, source, answerKey, target, transform, param string) {
	inputs := map[string]string{"source": source, "answerKey": answerKey, "target": target, "transform": transform, "param": param}
	for input, value := range inputs {
		form.Set(views.RuleFieldName(endpoint, rule, input), value)
	}
}

// configAddRule appends a rule to an endpoint of an editor form.
func configAddRule(t *testing.T, form url.Values, endpoint int, source, answerKey, target, transform, param string) {
	t.Helper()
	countField := views.EndpointFieldName(endpoint, "rules")
	count, err := strconv.Atoi(form.Get(countField))
	if err != nil {
		t.Fatalf("form has no rule count for endpoint %d", endpoint)
	}
	configRule(form, endpoint, count, source, answerKey, target, transform, param)
	form.Set(countField, strconv.Itoa(count+1))
}

func TestConfigMappingSaveValidDraft(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	form := configEditorForm(t, env, "Athena")
	configAddRule(t, form, 0, "answers.", "smoking", "SMOKING_STATUS", "valueMap", "never=N, daily=D")
	configAddRule(t, form, 0, "bloodType", "", "BLOOD_TYPE_DEMO", "", "")
	form.Set("comment", "send smoking status")

	r := configSend(t, env, "/mappings/Athena", form, false)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/mappings/Athena?saved=2" {
		t.Fatalf("save: status %d to %q, want 303 to /mappings/Athena?saved=2; body %s", r.status, r.header.Get("Location"), r.raw)
	}
	checkConfigPage(t, env, configPage{name: "editor after save", path: "/mappings/Athena?saved=2", status: http.StatusOK,
		want: []string{"Version 2 was saved. The next send uses it.", `value="SMOKING_STATUS"`, `value="smoking"`, `value="daily=D, never=N"`}})

	version, config := configCurrentMapping(t, env, "Athena")
	if version != 2 {
		t.Fatalf("current version %d after save, want 2", version)
	}
	rules := config["endpoints"].([]any)[0].(map[string]any)["fields"].([]any)
	smoking := rules[len(rules)-2].(map[string]any)
	if smoking["source"] != "answers.smoking" || smoking["target"] != "SMOKING_STATUS" {
		t.Errorf("saved rule %v, want answers.smoking to SMOKING_STATUS", smoking)
	}
	values, _ := smoking["transform"].(map[string]any)["values"].(map[string]any)
	if values["never"] != "N" || values["daily"] != "D" {
		t.Errorf("saved valueMap %v, want never=N and daily=D", values)
	}
	if entries := configAuditActions(t, env, "mapping.save"); len(entries) != 1 || entries[0]["target"] != "Athena" {
		t.Errorf("audit entries of mapping.save: %v, want one for Athena", entries)
	}
}

func TestConfigMappingSaveUnchangedDraftKeepsConfig(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	for _, ehrName := range []string{"Athena", "Allscripts"} {
		_, before := configCurrentMapping(t, env, ehrName)
		form := configEditorForm(t, env, ehrName)
		form.Set("comment", "same again")
		if r := configSend(t, env, "/mappings/"+ehrName, form, false); r.status != http.StatusSeeOther {
			t.Fatalf("%s: save of the unchanged editor status %d: %s", ehrName, r.status, r.raw)
		}
		version, after := configCurrentMapping(t, env, ehrName)
		if version != 2 {
			t.Errorf("%s: version %d after save, want 2", ehrName, version)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the editor changed the mapping on a round trip:\nbefore %v\nafter  %v", ehrName, before, after)
		}
	}
}

func TestConfigMappingSaveInvalidDrafts(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	tests := []struct {
		name    string
		change  func(form url.Values)
		invalid string
		want    []string
	}{
		{
			name:    "rule without target",
			change:  func(form url.Values) { configRule(form, 0, 1, "lastName", "", "", "", "") },
			invalid: views.RuleInputID(0, 1, "target"),
			want:    []string{"EHR field of rule 2 of endpoint patient_demographics is missing. Enter the EHR field name"},
		},
		{
			name:    "unknown answer key",
			change:  func(form url.Values) { configRule(form, 1, 0, "answers.", "-bad", "HISTORY", "", "") },
			invalid: views.RuleInputID(1, 0, "answerKey"),
			want:    []string{"Answer key of rule 1 of endpoint medical_history is not a known patient field"},
		},
		{
			name:    "value pairs without equals sign",
			change:  func(form url.Values) { configRule(form, 0, 3, "gender", "", "GENDER_OF_PATIENT", "valueMap", "male M") },
			invalid: views.RuleInputID(0, 3, "param"),
			want:    []string{"Parameter of rule 4 of endpoint patient_demographics must list pairs such as male=M, female=F"},
		},
		{
			name: "template with an unknown field",
			change: func(form url.Values) {
				configRule(form, 0, 2, "name", "", "PATIENT_IDENT_NAME", "template", "{nickname}")
			},
			invalid: views.RuleInputID(0, 2, "param"),
			want:    []string{"Parameter of rule 3 of endpoint patient_demographics is not a valid template"},
		},
		{
			name:    "endpoint name with capitals",
			change:  func(form url.Values) { form.Set(views.EndpointFieldName(2, "name"), "Social") },
			invalid: views.EndpointInputID(2, "name"),
			want:    []string{"Name of endpoint Social is invalid"},
		},
		{
			name:    "missing comment",
			change:  func(form url.Values) { form.Del("comment") },
			invalid: "mapping-comment",
			want:    []string{"Comment is required"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			form := configEditorForm(t, env, "Athena")
			form.Set("comment", "broken on purpose")
			tt.change(form)

			r := configSend(t, env, "/mappings/Athena", form, false)
			if r.status != http.StatusBadRequest {
				t.Fatalf("%s: status %d, want 400", tt.name, r.status)
			}
			if !strings.Contains(r.raw, `id="`+tt.invalid+`" `) || !regexp.MustCompile(`id="`+tt.invalid+`"[^>]*aria-invalid="true"`).MatchString(r.raw) {
				t.Errorf("%s: input %s is not marked invalid", tt.name, tt.invalid)
			}
			if !strings.Contains(r.raw, `href="#`+tt.invalid+`"`) {
				t.Errorf("%s: the error summary does not link to %s", tt.name, tt.invalid)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.raw, want) {
					t.Errorf("%s: page lacks %q", tt.name, want)
				}
			}
			if !strings.Contains(r.raw, `value="broken on purpose"`) && tt.invalid != "mapping-comment" {
				t.Errorf("%s: the comment was not kept in the form", tt.name)
			}
		})
	}
	t.Cleanup(func() {
		if version, _ := configCurrentMapping(t, env, "Athena"); version != 1 {
			t.Errorf("an invalid draft was saved: current version %d, want 1", version)
		}
	})
}

func TestConfigMappingSaveInSpanish(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	form := configEditorForm(t, env, "Athena")
	configRule(form, 0, 1, "lastName", "", "", "", "")
	form.Set("comment", "sin destino")

	r := configSend(t, env, "/mappings/Athena?lang=es", form, false)
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", r.status)
	}
	want := "Campo del EHR de la regla 2 del endpoint patient_demographics falta. Escriba el nombre del campo en el EHR"
	if !strings.Contains(r.raw, want) {
		t.Errorf("Spanish page lacks %q", want)
	}
	if key := configUntranslated.FindString(r.raw); key != "" {
		t.Errorf("Spanish page shows the untranslated key %s", key)
	}
}

func TestConfigMappingSaveOverNewerVersion(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	stale := configEditorForm(t, env, "Athena")
	stale.Set("comment", "first editor")
	fresh := configEditorForm(t, env, "Athena")
	fresh.Set("comment", "second editor")
	if r := configSend(t, env, "/mappings/Athena", fresh, false); r.status != http.StatusSeeOther {
		t.Fatalf("first save status %d", r.status)
	}

	r := configSend(t, env, "/mappings/Athena", stale, false)
	if r.status != http.StatusConflict || !strings.Contains(r.raw, "Version 2 was saved while you edited a draft of version 1") {
		t.Fatalf("save of a stale draft: status %d, want 409 with a warning", r.status)
	}
	again := configFormValues(t, r.raw, "mapping-form")
	if again.Get("baseVersion") != "2" {
		t.Errorf("the warning page's draft is based on version %q, want 2", again.Get("baseVersion"))
	}
	if r := configSend(t, env, "/mappings/Athena", again, false); r.status != http.StatusSeeOther {
		t.Errorf("second save after the warning: status %d, want 303", r.status)
	}
	if version, _ := configCurrentMapping(t, env, "Athena"); version != 3 {
		t.Errorf("current version %d, want 3", version)
	}
}
