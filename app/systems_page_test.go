package app_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestConfigSystemPagesRender(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	pages := []configPage{
		{name: "list", path: "/systems", status: http.StatusOK,
			want: []string{"<h1>EHR systems</h1>", `href="/systems/Athena"`, "/sim/athena", `<span class="badge sim">simulator</span>`,
				"ATHENA_CLIENT_SECRET", "ALLSCRIPTS_PASSWORD", `href="/systems/new"`}},
		{name: "list in Spanish", path: "/systems?lang=es", status: http.StatusOK,
			want: []string{"<h1>Sistemas EHR</h1>", "simulador", "Añadir un sistema EHR"}},
		{name: "athena settings", path: "/systems/athena", status: http.StatusOK,
			want: []string{"Settings of Athena", `value="/sim/athena"`, `value="195900"`, `<option value="oauth2_client_credentials" selected`,
				`value="ATHENA_CLIENT_SECRET"`, "Test connection", `hx-post="/systems/Athena/test"`, `name="_csrf"`},
			forbid: []string{"Allscripts Unity options", `name="name"`}},
		{name: "allscripts settings show the Unity options", path: "/systems/Allscripts", status: http.StatusOK,
			want: []string{"Allscripts Unity options", `name="appname"`, `name="appUserId"`, `value="ehrbridge"`}},
		{name: "settings in Spanish", path: "/systems/Athena?lang=es", status: http.StatusOK,
			want: []string{"Ajustes de Athena", "Probar la conexión", "Variable de entorno con el secreto"}},
		{name: "new system form", path: "/systems/new", status: http.StatusOK,
			want:   []string{"Add an EHR system", `name="name"`, `<option value="rest"`, `<option value="allscripts"`, "Create EHR system"},
			forbid: []string{"Test connection"}},
		{name: "unknown system", path: "/systems/Nowhere", status: http.StatusNotFound,
			want: []string{"No EHR named Nowhere is configured."}},
	}
	for _, page := range pages {
		t.Run(page.name, func(t *testing.T) {
			t.Parallel()
			checkConfigPage(t, env, page)
		})
	}
}

func TestConfigSystemCreateAndEditForms(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	invalid := configSend(t, env, "/systems", url.Values{"name": {"9lives"}, "family": {"epic"}, "baseUrl": {"not a url"}, "secretEnv": {"bad name"}}, false)
	if invalid.status != http.StatusBadRequest {
		t.Fatalf("invalid create: status %d, want 400", invalid.status)
	}
	for _, want := range []string{"Name must start with a letter", "Family must be one of: allscripts, athena, rest",
		"Base URL must be an absolute http or https URL", "Environment variable with the secret must be an environment variable name",
		`id="system-baseUrl" name="baseUrl" value="not a url" aria-invalid="true"`} {
		if !strings.Contains(invalid.raw, want) {
			t.Errorf("invalid create: page lacks %q", want)
		}
	}

	created := configSend(t, env, "/systems", url.Values{
		"name": {"ClinicREST"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}, "secretEnv": {"PATH"}, "appname": {"ignored"},
	}, false)
	if created.status != http.StatusSeeOther || created.header.Get("Location") != "/systems/ClinicREST?created=1" {
		t.Fatalf("create: status %d to %q, want 303 to the new system", created.status, created.header.Get("Location"))
	}
	checkConfigPage(t, env, configPage{name: "created system", path: "/systems/ClinicREST?created=1", status: http.StatusOK,
		want:   []string{"The EHR system was created", `<option value="none" selected`, `<span class="badge ok">set</span>`},
		forbid: []string{os.Getenv("PATH"), "ignored"}})
	if version, _ := configCurrentMapping(t, env, "ClinicREST"); version != 1 {
		t.Errorf("new system mapping version %d, want 1", version)
	}
	if again := configSend(t, env, "/systems", url.Values{"name": {"clinicrest"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}}, false); again.status != http.StatusConflict || !strings.Contains(again.raw, "an EHR named clinicrest already exists") {
		t.Errorf("duplicate create: status %d, want 409 naming the taken name", again.status)
	}

	edit := configFormValues(t, env.get(t, "/systems/Allscripts").raw, "system-form")
	edit.Set("practiceId", "42")
	edit.Set("appname", "intake")
	saved := configSend(t, env, "/systems/Allscripts", edit, false)
	if saved.status != http.StatusSeeOther || saved.header.Get("Location") != "/systems/Allscripts?saved=1" {
		t.Fatalf("edit: status %d to %q, want 303 back to the system", saved.status, saved.header.Get("Location"))
	}
	checkConfigPage(t, env, configPage{name: "edited system", path: "/systems/Allscripts?saved=1", status: http.StatusOK,
		want: []string{"The settings were saved.", `value="42"`, `value="intake"`, `name="appUserId" value="ehrbridge"`}})
	if entries := configAuditActions(t, env, "ehr_system.update"); len(entries) != 1 || !strings.Contains(configJSON(t, entries[0]["details"]), "options") {
		t.Errorf("audit entries of ehr_system.update: %v, want one naming the changed options", entries)
	}

	edit.Set("baseUrl", "")
	if r := configSend(t, env, "/systems/Allscripts?lang=es", edit, false); r.status != http.StatusBadRequest || !strings.Contains(r.raw, "URL base es obligatorio") {
		t.Errorf("edit without base URL in Spanish: status %d, want 400 naming the field", r.status)
	}
}

func TestConfigSystemFormLinksErrorsAndTranslatesChoices(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	invalid := configSend(t, env, "/systems?lang=es", url.Values{"name": {"ok_name"}, "family": {"rest"}, "baseUrl": {"not a url"}}, false)
	for _, want := range []string{`<a href="#system-baseUrl">`, `<option value="oauth2_client_credentials">Credenciales de cliente OAuth2</option>`} {
		if !strings.Contains(invalid.raw, want) {
			t.Errorf("invalid create in Spanish: page lacks %q", want)
		}
	}

	for _, created := range []url.Values{
		{"name": {"SimNoSecret"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}, "secretEnv": {"EHRBRIDGE_TEST_UNSET_SECRET"}},
		{"name": {"SimWithSecret"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}, "secretEnv": {"PATH"}},
		{"name": {"RemoteNoSecret"}, "family": {"rest"}, "baseUrl": {"https://ehr.example.test/api"}, "secretEnv": {"EHRBRIDGE_TEST_UNSET_SECRET"}},
	} {
		if r := configSend(t, env, "/systems", created, false); r.status != http.StatusSeeOther {
			t.Fatalf("creating %s: status %d", created.Get("name"), r.status)
		}
	}
	note := "The simulator accepts any secret"
	pages := []configPage{
		{name: "simulator without secret", path: "/systems/SimNoSecret", status: http.StatusOK, want: []string{note}},
		{name: "simulator without secret in Spanish", path: "/systems/SimNoSecret?lang=es", status: http.StatusOK,
			want: []string{"El simulador acepta cualquier secreto", `<option value="none" selected>Ninguna</option>`}},
		{name: "simulator with secret", path: "/systems/SimWithSecret", status: http.StatusOK, forbid: []string{note}},
		{name: "remote system without secret", path: "/systems/RemoteNoSecret", status: http.StatusOK, forbid: []string{note}},
		{name: "athena auth kind", path: "/systems/Athena", status: http.StatusOK,
			want: []string{`<option value="oauth2_client_credentials" selected>OAuth2 client credentials</option>`,
				`<option value="unity_token">Unity token</option>`, `<option value="bearer">Bearer token</option>`}},
		{name: "list", path: "/systems", status: http.StatusOK, want: []string{note, "OAuth2 client credentials"}},
	}
	for _, page := range pages {
		t.Run(page.name, func(t *testing.T) {
			t.Parallel()
			checkConfigPage(t, env, page)
		})
	}
}
