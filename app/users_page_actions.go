package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// userChange is one account change read from a form: the store update and
// what the audit log records of it. With unchanged set, the form requests
// what the account already is, and nothing is written.
type userChange struct {
	update    store.UserChange
	details   map[string]any
	unchanged bool
}

// handleUserChangePage is POST /users/:id: change one account as the form
// field action names (role, disable, enable or password), record it in the
// audit log and go back to the list. Invalid input shows the list again
// with the error at the account's form and status 400. Demoting or
// disabling the last active admin returns 409.
func (a *App) handleUserChangePage(c echo.Context) error {
	ctx := c.Request().Context()
	user, err := a.findUserOfPath(c)
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	change, message, err := readUserChange(c, a.page(c, "page.users.title"), user, action)
	if err != nil {
		return err
	}
	if message != "" {
		return a.renderUserChangeError(c, http.StatusBadRequest, user, action, message)
	}
	if change.unchanged {
		return c.Redirect(http.StatusSeeOther, usersPageURL("unchanged", user.Username))
	}

	updated, err := a.Store.UpdateUser(ctx, user.ID, change.update)
	switch {
	case errors.Is(err, store.ErrLastAdmin):
		message := a.page(c, "page.users.title").T("page.users.error.last_admin", user.Username)
		return a.renderUserChangeError(c, http.StatusConflict, user, action, message)
	case errors.Is(err, store.ErrNotFound):
		return newAPIError(http.StatusNotFound, "user_not_found", c.Param("id"))
	case err != nil:
		return storeFailure(err)
	}
	a.audit(c, auditUserUpdate, user.Username, change.details)

	target := usersPageURL(action, user.Username)
	if viewer := principalOf(c); viewer.Kind == auth.User && viewer.ID == user.ID {
		return a.continueAfterOwnChange(c, updated, target)
	}

	return c.Redirect(http.StatusSeeOther, target)
}

// findUserOfPath returns the account named by the :id path parameter. An
// id that is not a positive number or names no account returns 404.
func (a *App) findUserOfPath(c echo.Context) (store.User, error) {
	raw := c.Param("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return store.User{}, newAPIError(http.StatusNotFound, "user_not_found", raw)
	}
	user, err := a.Store.FindUser(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, newAPIError(http.StatusNotFound, "user_not_found", raw)
	}
	if err != nil {
		return store.User{}, storeFailure(err)
	}

	return user, nil
}

// readUserChange reads the change that action requests from the form. It
// returns the translated reason when the input is invalid, and an error
// only when hashing a valid password fails. The details never hold a
// password or its hash.
func readUserChange(c echo.Context, page views.Page, user store.User, action string) (userChange, string, error) {
	switch action {
	case "role":
		role := c.FormValue("role")
		if !auth.IsRole(role) {
			return userChange{}, page.T("page.users.error.role_unknown"), nil
		}
		if role == user.Role {
			return userChange{unchanged: true}, "", nil
		}
		return userChange{
			update:  store.UserChange{Role: &role},
			details: map[string]any{"change": "role", "from": user.Role, "to": role},
		}, "", nil
	case "disable", "enable":
		disable := action == "disable"
		if disable != user.Active() {
			return userChange{unchanged: true}, "", nil
		}
		return userChange{update: store.UserChange{Disabled: &disable}, details: map[string]any{"change": action}}, "", nil
	case "password":
		return readPasswordChange(c, page)
	}

	return userChange{}, page.T("page.users.error.action_unknown"), nil
}

// readPasswordChange reads a new password and its repetition. When both
// are wrong, the broken password rule is reported.
func readPasswordChange(c echo.Context, page views.Page) (userChange, string, error) {
	password := c.FormValue("password")
	errs := newPasswordErrors(page, password, c.FormValue("password_repeat"))
	if message := errs["password"]; message != "" {
		return userChange{}, message, nil
	}
	if message := errs["password_repeat"]; message != "" {
		return userChange{}, message, nil
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return userChange{}, "", internalError(err)
	}

	return userChange{update: store.UserChange{PasswordHash: &hash}, details: map[string]any{"change": "password"}}, "", nil
}

// renderUserChangeError shows the accounts page with message at the form
// of the account's failed action.
func (a *App) renderUserChangeError(c echo.Context, status int, user store.User, action, message string) error {
	if action != "role" && action != "disable" && action != "enable" && action != "password" {
		// An unknown action has no form of its own; the role form is the
		// first of the account's row.
		action = "role"
	}
	rowError := &views.UserRowError{UserID: user.ID, Action: action, Text: message}

	return a.renderUsersPage(c, status, usersPageState{rowError: rowError})
}

// continueAfterOwnChange follows an admin's change of their own account.
// UpdateUser ended every session of the account, the acting one included.
// An admin who disabled their own account is signed out. One who changed
// their own password or role gets a new session, which also updates the
// account's last sign-in time, and goes on to the accounts page, or to the
// dashboard when the new role may not open it.
func (a *App) continueAfterOwnChange(c echo.Context, updated store.User, target string) error {
	if !updated.Active() {
		c.SetCookie(a.sessionCookie("", -1))
		return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
	}
	if err := a.startSession(c, updated, time.Now()); err != nil {
		return err
	}
	now := auth.Principal{Kind: auth.User, ID: updated.ID, Name: updated.Username, Role: updated.Role}
	if !now.Allows(auth.Admin) {
		return c.Redirect(http.StatusSeeOther, "/")
	}

	return c.Redirect(http.StatusSeeOther, target)
}
