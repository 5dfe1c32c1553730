package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// usersPageState is the content of one rendering of the accounts page
// besides the account list.
type usersPageState struct {
	create       views.UserCreateForm
	createErrors map[string]string
	rowError     *views.UserRowError
}

// userChangeNotices maps the done parameter that follows a change to the
// notice it shows.
var userChangeNotices = map[string]string{
	"created":   "page.users.notice.created",
	"role":      "page.users.notice.role",
	"disable":   "page.users.notice.disabled",
	"enable":    "page.users.notice.enabled",
	"password":  "page.users.notice.password",
	"unchanged": "page.users.notice.unchanged",
}

// handleUsersPage is GET /users: every account with its change forms, and
// the create form. After a change, ?done=<change>&user=<name> adds a notice.
func (a *App) handleUsersPage(c echo.Context) error {
	return a.renderUsersPage(c, http.StatusOK, usersPageState{})
}

// renderUsersPage lists the accounts and shows the page with state.
func (a *App) renderUsersPage(c echo.Context, status int, state usersPageState) error {
	users, err := a.Store.ListUsers(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	props := views.UsersProps{
		Page: a.page(c, "page.users.title"), Roles: auth.Roles, Create: state.create,
		CreateErrors: state.createErrors, RowError: state.rowError, MinPasswordLength: auth.MinPasswordLength,
		MaxPasswordBytes: auth.MaxPasswordBytes,
	}
	if props.Create.Role == "" {
		props.Create.Role = auth.RoleViewer
	}
	viewer := principalOf(c)
	for _, user := range users {
		props.Users = append(props.Users, views.UserRow{
			ID: user.ID, Username: user.Username, Role: user.Role, CreatedAt: user.CreatedAt,
			LastLoginAt: user.LastLoginAt, Active: user.Active(),
			Self: viewer.Kind == auth.User && viewer.ID == user.ID,
		})
	}
	if status == http.StatusOK {
		props.Notice = userChangeNotice(props.Page, c.QueryParam("done"), c.QueryParam("user"), users)
	}

	return render(c, status, views.Users(props))
}

// userChangeNotice is the notice after a change of the account named
// username, from the account's current state. Only an existing account and
// a known change are shown, so a link cannot put other text in the notice.
func userChangeNotice(page views.Page, done, username string, users []store.User) string {
	key, ok := userChangeNotices[done]
	if !ok {
		return ""
	}
	for _, user := range users {
		if user.Username == username {
			return page.T(key, user.Username, page.T("role."+user.Role))
		}
	}

	return ""
}
