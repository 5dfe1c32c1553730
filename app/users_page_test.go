package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ehrbridge/app/store"
)

// userChangePath is the path that changes the account with id.
func userChangePath(id int64) string {
	return "/users/" + strconv.FormatInt(id, 10)
}

// findUser returns the stored account named username.
func (env *testEnv) findUser(t *testing.T, username string) store.User {
	t.Helper()
	user, err := env.app.Store.FindUserByName(context.Background(), username)
	if err != nil {
		t.Fatalf("finding user %s: %v", username, err)
	}

	return user
}

// signInWithPassword signs in through the login form and returns the
// client and the login response.
func (env *testEnv) signInWithPassword(t *testing.T, username, password string) (*http.Client, response) {
	t.Helper()
	client := newBrowserClient(t)
	answer := env.postFormAs(t, client, "/login", "/login", url.Values{"username": {username}, "password": {password}})

	return client, answer
}

func TestUsersPageCreatesAccountThatSignsIn(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	page := env.doWith(t, admin, http.MethodGet, "/users", "", "", nil)
	for _, text := range []string{
		"<h1>Users</h1>", ">ada", "User name", "Last sign-in", `action="/users"`, `name="password_repeat"`,
		`<option value="operator"`, `action="/users/`, `name="action" value="disable"`,
	} {
		if !strings.Contains(page.raw, text) {
			t.Errorf("users page lacks %q", text)
		}
	}

	created := env.postFormAs(t, admin, "/users", "/users", url.Values{
		"username": {"  Olga.Ops "}, "role": {"operator"}, "password": {testPassword}, "password_repeat": {testPassword},
	})
	if created.status != http.StatusSeeOther || created.header.Get("Location") != "/users?done=created&user=olga.ops" {
		t.Fatalf("create: status %d, Location %q; want 303 to the list with a notice: %s", created.status, created.header.Get("Location"), created.raw)
	}
	user := env.findUser(t, "olga.ops")
	if user.Role != "operator" || !user.Active() {
		t.Errorf("created account: role %s, active %v; want an active operator", user.Role, user.Active())
	}
	notice := env.doWith(t, admin, http.MethodGet, created.header.Get("Location"), "", "", nil)
	if !strings.Contains(notice.raw, "Account olga.ops was created with the role operator.") {
		t.Errorf("list after create lacks the notice")
	}
	if strings.Contains(notice.raw, testPassword) {
		t.Errorf("users page shows the password")
	}

	olga, login := env.signInWithPassword(t, "olga.ops", testPassword)
	if login.status != http.StatusSeeOther {
		t.Fatalf("sign-in of the new account: status %d, want 303", login.status)
	}
	if r := env.doWith(t, olga, http.MethodGet, "/send", "", "", nil); r.status != http.StatusOK {
		t.Errorf("new operator opens /send: status %d, want 200", r.status)
	}

	entries := env.auditEntries(t, "user.create")
	if len(entries) != 1 || entries[0].Target != "olga.ops" || entries[0].Actor != "user:ada" {
		t.Fatalf("audit log has %+v, want one user.create of olga.ops by user:ada", entries)
	}
	if details := string(entries[0].Details); !strings.Contains(details, `"role": "operator"`) || strings.Contains(details, "password") {
		t.Errorf("user.create details %s, want the role and no password", details)
	}
}

func TestUsersPageRoleChangeAndDisableTakeEffect(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	oscar := env.signIn(t, "oscar", "operator")
	id := env.findUser(t, "oscar").ID

	demoted := env.postFormAs(t, admin, "/users", userChangePath(id), url.Values{"action": {"role"}, "role": {"viewer"}})
	if demoted.status != http.StatusSeeOther || demoted.header.Get("Location") != "/users?done=role&user=oscar" {
		t.Fatalf("role change: status %d, Location %q: %s", demoted.status, demoted.header.Get("Location"), demoted.raw)
	}
	if role := env.findUser(t, "oscar").Role; role != "viewer" {
		t.Errorf("role after the change %s, want viewer", role)
	}
	if r := env.doWith(t, oscar, http.MethodGet, "/send", "", "", nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("old session after the role change: status %d to %q, want 303 to /login", r.status, r.header.Get("Location"))
	}
	oscar, _ = env.signInWithPassword(t, "oscar", testPassword)
	if r := env.doWith(t, oscar, http.MethodGet, "/send", "", "", nil); r.status != http.StatusForbidden {
		t.Errorf("viewer opens /send: status %d, want 403", r.status)
	}
	notice := env.doWith(t, admin, http.MethodGet, "/users?done=role&user=oscar", "", "", nil)
	if !strings.Contains(notice.raw, "oscar now has the role viewer") {
		t.Errorf("list after the role change lacks the notice")
	}

	disabled := env.postFormAs(t, admin, "/users", userChangePath(id), url.Values{"action": {"disable"}})
	if disabled.status != http.StatusSeeOther {
		t.Fatalf("disable: status %d: %s", disabled.status, disabled.raw)
	}
	next := env.doWith(t, oscar, http.MethodGet, "/transactions", "", "", nil)
	if next.status != http.StatusSeeOther || !strings.HasPrefix(next.header.Get("Location"), "/login") {
		t.Errorf("disabled account's next request: status %d to %q, want 303 to /login", next.status, next.header.Get("Location"))
	}
	if _, login := env.signInWithPassword(t, "oscar", testPassword); login.status != http.StatusUnauthorized {
		t.Errorf("sign-in of a disabled account: status %d, want 401", login.status)
	}
	list := env.doWith(t, admin, http.MethodGet, "/users", "", "", nil)
	if !strings.Contains(list.raw, `name="action" value="enable"`) || !strings.Contains(list.raw, ">disabled</span>") {
		t.Errorf("list does not show oscar as disabled with an enable button")
	}

	enabled := env.postFormAs(t, admin, "/users", userChangePath(id), url.Values{"action": {"enable"}})
	if enabled.status != http.StatusSeeOther {
		t.Fatalf("enable: status %d: %s", enabled.status, enabled.raw)
	}
	if _, login := env.signInWithPassword(t, "oscar", testPassword); login.status != http.StatusSeeOther {
		t.Errorf("sign-in after enabling: status %d, want 303", login.status)
	}

	var changes []string
	for _, entry := range env.auditEntries(t, "user.update") {
		if entry.Target != "oscar" || entry.Actor != "user:ada" {
			t.Errorf("user.update entry %+v, want target oscar by user:ada", entry)
		}
		changes = append(changes, string(entry.Details))
	}
	wanted := []string{`"change": "enable"`, `"change": "disable"`, `"to": "viewer"`}
	if len(changes) != len(wanted) {
		t.Fatalf("audit log has %d user.update entries %v, want %d", len(changes), changes, len(wanted))
	}
	for i, text := range wanted {
		if !strings.Contains(changes[i], text) {
			t.Errorf("user.update entry %d details %s, want %s", i, changes[i], text)
		}
	}
}

func TestUsersPageKeepsLastAdmin(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	id := env.findUser(t, "ada").ID

	cases := []struct {
		name    string
		form    url.Values
		inputID string
	}{
		{"demote", url.Values{"action": {"role"}, "role": {"operator"}}, "user-" + strconv.FormatInt(id, 10) + "-role"},
		{"disable", url.Values{"action": {"disable"}}, "user-" + strconv.FormatInt(id, 10) + "-disable"},
	}
	for _, tc := range cases {
		r := env.postFormAs(t, admin, "/users", userChangePath(id), tc.form)
		if r.status != http.StatusConflict {
			t.Errorf("%s the last admin: status %d, want 409", tc.name, r.status)
		}
		if !strings.Contains(r.raw, "ada is the last active admin") {
			t.Errorf("%s the last admin: page lacks the error", tc.name)
		}
		if !strings.Contains(r.raw, `id="`+tc.inputID+`-error"`) {
			t.Errorf("%s the last admin: error is not at the account's form", tc.name)
		}
	}
	user := env.findUser(t, "ada")
	if user.Role != "admin" || !user.Active() {
		t.Errorf("last admin after the attempts: role %s, active %v; want an active admin", user.Role, user.Active())
	}
	if n := len(env.auditEntries(t, "user.update")); n != 0 {
		t.Errorf("audit log has %d user.update entries after rejected changes, want 0", n)
	}
	if r := env.doWith(t, admin, http.MethodGet, "/users", "", "", nil); r.status != http.StatusOK {
		t.Errorf("admin's session after the rejected changes: status %d, want 200", r.status)
	}

	spanish := env.postFormAs(t, admin, "/users", userChangePath(id)+"?lang=es", url.Values{"action": {"disable"}})
	if !strings.Contains(spanish.raw, "ada es el último administrador activo") {
		t.Errorf("Spanish page lacks the last-admin error")
	}
}

func TestUsersPageOwnAccountChanges(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	env.createUser(t, "bea", "admin")
	admin := env.signIn(t, "ada", "admin")
	id := env.findUser(t, "ada").ID

	password := env.postFormAs(t, admin, "/users", userChangePath(id), url.Values{
		"action": {"password"}, "password": {"a new passphrase here"}, "password_repeat": {"a new passphrase here"},
	})
	if password.status != http.StatusSeeOther || password.header.Get("Location") != "/users?done=password&user=ada" {
		t.Fatalf("own password change: status %d to %q", password.status, password.header.Get("Location"))
	}
	if r := env.doWith(t, admin, http.MethodGet, "/users", "", "", nil); r.status != http.StatusOK {
		t.Errorf("own session after changing the own password: status %d, want 200", r.status)
	}
	if _, login := env.signInWithPassword(t, "ada", "a new passphrase here"); login.status != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: status %d, want 303", login.status)
	}

	demoted := env.postFormAs(t, admin, "/users", userChangePath(id), url.Values{"action": {"role"}, "role": {"operator"}})
	if demoted.status != http.StatusSeeOther || demoted.header.Get("Location") != "/" {
		t.Fatalf("self-demotion: status %d to %q, want 303 to the dashboard: %s", demoted.status, demoted.header.Get("Location"), demoted.raw)
	}
	if role := env.findUser(t, "ada").Role; role != "operator" {
		t.Errorf("role after self-demotion %s, want operator", role)
	}
	if r := env.doWith(t, admin, http.MethodGet, "/users", "", "", nil); r.status != http.StatusForbidden {
		t.Errorf("self-demoted account opens /users: status %d, want 403", r.status)
	}
	if r := env.doWith(t, admin, http.MethodGet, "/send", "", "", nil); r.status != http.StatusOK {
		t.Errorf("self-demoted operator opens /send: status %d, want 200", r.status)
	}
}

func TestUsersPageShowsPasswordRules(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	id := env.findUser(t, "ada").ID

	cases := []struct {
		name     string
		path     string
		form     url.Values
		status   int
		expected []string
	}{
		{
			name: "too short", path: "/users", status: http.StatusBadRequest,
			form:     url.Values{"username": {"tom"}, "role": {"viewer"}, "password": {"short"}, "password_repeat": {"short"}},
			expected: []string{"The password is too short: use at least 12 characters.", `id="user-create-password-error"`, `value="tom"`},
		},
		{
			name: "repeat differs", path: "/users", status: http.StatusBadRequest,
			form:     url.Values{"username": {"tom"}, "role": {"viewer"}, "password": {testPassword}, "password_repeat": {testPassword + "!"}},
			expected: []string{"The two passwords differ.", `id="user-create-password_repeat-error"`},
		},
		{
			name: "too long", path: "/users", status: http.StatusBadRequest,
			form:     url.Values{"username": {"tom"}, "role": {"viewer"}, "password": {strings.Repeat("ñ", 40)}, "password_repeat": {strings.Repeat("ñ", 40)}},
			expected: []string{"The password is too long: use at most 72 bytes"},
		},
		{
			name: "invalid user name and role", path: "/users", status: http.StatusBadRequest,
			form:     url.Values{"username": {"x"}, "role": {"superuser"}, "password": {testPassword}, "password_repeat": {testPassword}},
			expected: []string{"Enter a user name of 2 to 64 characters", "Choose a role from the list", `id="user-create-username-error"`, `id="user-create-role-error"`},
		},
		{
			name: "taken user name", path: "/users", status: http.StatusConflict,
			form:     url.Values{"username": {"ADA"}, "role": {"viewer"}, "password": {testPassword}, "password_repeat": {testPassword}},
			expected: []string{"An account named ada already exists."},
		},
		{
			name: "Spanish too short", path: "/users?lang=es", status: http.StatusBadRequest,
			form:     url.Values{"username": {"tom"}, "role": {"viewer"}, "password": {"short"}, "password_repeat": {"other"}},
			expected: []string{"La contraseña es demasiado corta: use al menos 12 caracteres.", "Las dos contraseñas no coinciden."},
		},
		{
			name: "password change too short", path: userChangePath(id), status: http.StatusBadRequest,
			form:     url.Values{"action": {"password"}, "password": {"short"}, "password_repeat": {"short"}},
			expected: []string{"The password is too short", `id="user-` + strconv.FormatInt(id, 10) + `-password-error"`, "<details open"},
		},
		{
			name: "password change repeat differs", path: userChangePath(id), status: http.StatusBadRequest,
			form:     url.Values{"action": {"password"}, "password": {testPassword + "x"}, "password_repeat": {testPassword + "y"}},
			expected: []string{"The two passwords differ."},
		},
		{
			name: "unknown role", path: userChangePath(id), status: http.StatusBadRequest,
			form:     url.Values{"action": {"role"}, "role": {"root"}},
			expected: []string{"Choose a role from the list"},
		},
		{
			name: "unknown action", path: userChangePath(id), status: http.StatusBadRequest,
			form:     url.Values{"action": {"delete"}},
			expected: []string{"The form asked for an unknown change."},
		},
	}
	for _, tc := range cases {
		r := env.postFormAs(t, admin, "/users", tc.path, tc.form)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.status)
		}
		for _, text := range tc.expected {
			if !strings.Contains(r.raw, text) {
				t.Errorf("%s: page lacks %q", tc.name, text)
			}
		}
		if password := tc.form.Get("password"); password != "" && strings.Contains(r.raw, `value="`+password+`"`) {
			t.Errorf("%s: page sends the password back", tc.name)
		}
		if key := untranslatedKey.FindString(r.raw); key != "" {
			t.Errorf("%s: page shows the untranslated key %s", tc.name, key)
		}
	}
	if _, err := env.app.Store.FindUserByName(context.Background(), "tom"); err == nil {
		t.Errorf("an invalid form created the account tom")
	}
	if _, login := env.signInWithPassword(t, "ada", testPassword); login.status != http.StatusSeeOther {
		t.Errorf("rejected password changes changed the password: sign-in status %d", login.status)
	}
	for _, path := range []string{"/users/999999", "/users/abc", "/users/0"} {
		r := env.postFormAs(t, admin, "/users", path, url.Values{"action": {"disable"}})
		if r.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, r.status)
		}
	}
}

func TestUsersPageInSpanish(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")
	env.createUser(t, "vera", "viewer")

	page := env.doWith(t, admin, http.MethodGet, "/users?lang=es", "", "", nil)
	expected := []string{
		"<h1>Usuarios</h1>", "Nombre de usuario", "Último inicio de sesión", "Crear una cuenta", "Repita la contraseña",
		"Cambiar rol", "Desactivar", "administrador", "lector", "activa", "nunca",
	}
	for _, text := range expected {
		if !strings.Contains(page.raw, text) {
			t.Errorf("Spanish users page lacks %q", text)
		}
	}
	for _, text := range []string{"User name", "Last sign-in", "Create account", "Change role", "Repeat the password", ">Disable<"} {
		if strings.Contains(page.raw, text) {
			t.Errorf("Spanish users page shows the English %q", text)
		}
	}
	if key := untranslatedKey.FindString(page.raw); key != "" {
		t.Errorf("Spanish users page shows the untranslated key %s", key)
	}
	if strings.Contains(page.raw, "%!") {
		t.Errorf("Spanish users page shows a formatting error")
	}
}
