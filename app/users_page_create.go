package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// handleUserCreatePage is POST /users: create an account from the form's
// username, role, password and password_repeat, record it in the audit
// log and go back to the list. Invalid fields show the form again with
// 400, and a taken user name with 409.
func (a *App) handleUserCreatePage(c echo.Context) error {
	page := a.page(c, "page.users.title")
	entered := strings.TrimSpace(c.FormValue("username"))
	role := c.FormValue("role")
	password := c.FormValue("password")
	state := usersPageState{create: views.UserCreateForm{Username: entered, Role: role}}

	state.createErrors = newPasswordErrors(page, password, c.FormValue("password_repeat"))
	username, valid := auth.NormalizeUsername(entered)
	if !valid {
		state.createErrors["username"] = page.T("page.users.error.username_invalid")
	}
	if !auth.IsRole(role) {
		state.createErrors["role"] = page.T("page.users.error.role_unknown")
		state.create.Role = ""
	}
	if len(state.createErrors) > 0 {
		return a.renderUsersPage(c, http.StatusBadRequest, state)
	}

	hash, err := auth.HashPassword(password)
	if err != nil {
		return internalError(err)
	}
	user := store.User{Username: username, PasswordHash: hash, Role: role}
	err = a.Store.CreateUser(c.Request().Context(), &user)
	if errors.Is(err, store.ErrUsernameTaken) {
		state.createErrors["username"] = page.T("page.users.error.username_taken", username)
		return a.renderUsersPage(c, http.StatusConflict, state)
	}
	if err != nil {
		return storeFailure(err)
	}
	a.audit(c, auditUserCreate, user.Username, map[string]any{"role": user.Role})

	return c.Redirect(http.StatusSeeOther, usersPageURL("created", user.Username))
}

// usersPageURL is the accounts page with the notice of a change.
func usersPageURL(done, username string) string {
	return "/users?" + url.Values{"done": {done}, "user": {username}}.Encode()
}
