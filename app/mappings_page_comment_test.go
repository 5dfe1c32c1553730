package app_test

import (
	"net/http"
	"testing"
)

func TestConfigMappingCommentsAndAuthorTranslated(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	form := configEditorForm(t, env, "Athena")
	form.Set("comment", "rollback to version 1 after the audit")
	if r := configSend(t, env, "/mappings/Athena", form, false); r.status != http.StatusSeeOther {
		t.Fatalf("saving version 2: status %d", r.status)
	}
	if r := configSend(t, env, "/mappings/Athena/rollback/1", nil, false); r.status != http.StatusSeeOther {
		t.Fatalf("rolling back to version 1: status %d", r.status)
	}
	if r := configSend(t, env, "/systems", map[string][]string{"name": {"CommentClinic"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}}, false); r.status != http.StatusSeeOther {
		t.Fatalf("creating CommentClinic: status %d", r.status)
	}

	pages := []configPage{
		{name: "history in English", path: "/mappings/Athena/versions", status: http.StatusOK,
			want: []string{"<td>default mapping</td>", "<td>rollback to version 1</td>", "<td>anonymous</td>",
				"<td>rollback to version 1 after the audit</td>"}},
		{name: "history in Spanish", path: "/mappings/Athena/versions?lang=es", status: http.StatusOK,
			want: []string{"<td>mapeo predeterminado</td>", "<td>restauración de la versión 1</td>", "<td>anónimo</td>",
				"<td>rollback to version 1 after the audit</td>"},
			forbid: []string{"<td>default mapping</td>", "<td>rollback to version 1</td>", "<td>anonymous</td>"}},
		{name: "new system history in Spanish", path: "/mappings/CommentClinic/versions?lang=es", status: http.StatusOK,
			want: []string{"<td>primer mapeo</td>"}, forbid: []string{"first mapping"}},
		{name: "list in Spanish", path: "/mappings?lang=es", status: http.StatusOK,
			want:   []string{"restauración de la versión 1", "mapeo predeterminado", "primer mapeo", "anónimo"},
			forbid: []string{"default mapping", "first mapping", "anonymous"}},
	}
	for _, page := range pages {
		t.Run(page.name, func(t *testing.T) {
			t.Parallel()
			checkConfigPage(t, env, page)
		})
	}
}
