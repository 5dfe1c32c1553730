package app_test

import (
	"net/http"
	"strings"
	"testing"

	"ehrbridge/views"
)

// configSaveChange saves a new Athena version from the editor: the first
// rule of patient_demographics removed, a rule added and the medical
// history path changed.
func configSaveChange(t *testing.T, env *testEnv) {
	t.Helper()
	form := configEditorForm(t, env, "Athena")
	form.Set("op", "remove-rule:0:0")
	fragment := configSend(t, env, "/mappings/Athena/draft", form, false)
	form = configFormValues(t, fragment.raw, "mapping-form")
	configAddRule(t, form, 0, "bloodType", "", "BLOOD_TYPE_DEMO", "", "")
	form.Set(views.EndpointFieldName(1, "path"), "/v1/{practiceId}/chart/{patientId}/history")
	form.Set("comment", "demographics carry the blood type")
	if r := configSend(t, env, "/mappings/Athena", form, false); r.status != http.StatusSeeOther {
		t.Fatalf("saving version 2: status %d", r.status)
	}
}

func TestConfigMappingVersionsDiff(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	configSaveChange(t, env)

	pages := []configPage{
		{name: "history lists both versions", path: "/mappings/Athena/versions", status: http.StatusOK,
			want: []string{"demographics carry the blood type", "default mapping", "anonymous", "Roll back to version 1",
				`href="/mappings/Athena/versions?from=1&amp;to=2"`}},
		{name: "diff", path: "/mappings/Athena/versions?from=1&to=2", status: http.StatusOK,
			want: []string{"Changes from version 1 to version 2", `<td class="diff-removed">firstName</td>`,
				`<td class="diff-added">bloodType</td>`, "BLOOD_TYPE_DEMO", "PATIENT_FIRST_NAME",
				`<td class="diff-removed">/v1/{practiceId}/chart/{patientId}/medicalhistory</td>`,
				`<td class="diff-added">/v1/{practiceId}/chart/{patientId}/history</td>`, "social_history"},
			forbid: []string{"The two versions send the same fields the same way."}},
		{name: "diff in Spanish", path: "/mappings/Athena/versions?from=1&to=2&lang=es", status: http.StatusOK,
			want: []string{"Cambios de la versión 1 a la versión 2", "añadido", "quitado", "cambiado", "sin cambios"}},
		{name: "reverse diff", path: "/mappings/Athena/versions?from=2&to=1", status: http.StatusOK,
			want: []string{`<td class="diff-added">firstName</td>`, `<td class="diff-removed">bloodType</td>`}},
	}
	for _, page := range pages {
		t.Run(page.name, func(t *testing.T) {
			t.Parallel()
			checkConfigPage(t, env, page)
		})
	}
}

func TestConfigMappingRollback(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	_, original := configCurrentMapping(t, env, "Athena")
	configSaveChange(t, env)

	r := configSend(t, env, "/mappings/Athena/rollback/1", nil, false)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/mappings/Athena/versions?restored=1&rolledBack=3" {
		t.Fatalf("rollback: status %d to %q, want 303 to the history", r.status, r.header.Get("Location"))
	}
	checkConfigPage(t, env, configPage{name: "history after rollback", path: r.header.Get("Location"), status: http.StatusOK,
		want: []string{"Version 3 restores version 1. The next send uses it.", "rollback to version 1", `id="version-3"`}})

	version, config := configCurrentMapping(t, env, "Athena")
	if version != 3 {
		t.Errorf("current version %d after rollback, want 3", version)
	}
	if !strings.Contains(configJSON(t, config), "PATIENT_FIRST_NAME") || configJSON(t, config) != configJSON(t, original) {
		t.Errorf("version 3 is not version 1's config")
	}
	entries := configAuditActions(t, env, "mapping.rollback")
	if len(entries) != 1 || !strings.Contains(configJSON(t, entries[0]["details"]), `"restoredVersion":1`) {
		t.Errorf("audit entries of mapping.rollback: %v, want one restoring version 1", entries)
	}

	for _, path := range []string{"/mappings/Athena/rollback/9", "/mappings/Nowhere/rollback/1"} {
		if r := configSend(t, env, path, nil, false); r.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, r.status)
		}
	}
	if r := configSend(t, env, "/mappings/Athena/rollback/zero", nil, false); r.status != http.StatusBadRequest {
		t.Errorf("rollback to version zero: status %d, want 400", r.status)
	}
}
