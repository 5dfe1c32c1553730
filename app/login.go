package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/ratelimit"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// registerAccountRoutes adds signing in and out, and the pages that manage
// accounts and API keys.
func (a *App) registerAccountRoutes(ui *echo.Group) {
	ui.GET("/login", a.handleLoginPage)
	ui.POST("/login", a.handleLoginSubmit)
	ui.POST("/logout", a.handleLogout)
	a.registerAdminPages(ui)
}

// handleLoginPage is GET /login.
func (a *App) handleLoginPage(c echo.Context) error {
	props := views.LoginProps{
		Page: a.page(c, "page.login.title"), Next: localPath(c.QueryParam("next")),
		SignedOut: c.QueryParam("signed_out") == "1",
	}

	return render(c, http.StatusOK, views.LoginPage(props))
}

// handleLoginSubmit is POST /login: check the password, start a session
// and go to the page asked for. Attempts are limited per client address
// and per user name, and each outcome is audited.
func (a *App) handleLoginSubmit(c echo.Context) error {
	username, _ := auth.NormalizeUsername(c.FormValue("username"))
	password := c.FormValue("password")
	props := views.LoginProps{Page: a.page(c, "page.login.title"), Next: localPath(c.FormValue("next")), Username: username}

	now := time.Now()
	if wait, limited := a.loginLimited(c.RealIP(), username, now); limited {
		seconds := ratelimit.RetryAfterSeconds(wait)
		c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
		props.Error = props.T("page.login.rate_limited", seconds)
		return render(c, http.StatusTooManyRequests, views.LoginPage(props))
	}

	user, err := a.Store.FindUserByName(c.Request().Context(), username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return storeFailure(err)
	}
	if !auth.PasswordMatches(user.PasswordHash, password) || !user.Active() {
		a.audit(c, auditLoginFailed, username, nil)
		props.Error = props.T("page.login.failed")
		return render(c, http.StatusUnauthorized, views.LoginPage(props))
	}

	if err := a.startSession(c, user, now); err != nil {
		return err
	}
	c.Set(principalContextKey, auth.Principal{Kind: auth.User, ID: user.ID, Name: user.Username, Role: user.Role})
	a.audit(c, auditLogin, user.Username, nil)

	return c.Redirect(http.StatusSeeOther, props.Next)
}

// loginLimited takes one attempt from the client address's bucket and the
// user name's bucket, and reports how long to wait when either is empty.
func (a *App) loginLimited(clientIP, username string, now time.Time) (time.Duration, bool) {
	if ok, wait := a.limits.loginPerIP.Allow(clientIP, now); !ok {
		return wait, true
	}
	if ok, wait := a.limits.loginPerAccount.Allow(username, now); !ok {
		return wait, true
	}

	return 0, false
}

// startSession stores a new session for user and sets its cookie. A new
// token on every sign-in means a token planted before it is worthless.
func (a *App) startSession(c echo.Context, user store.User, now time.Time) error {
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		return internalError(err)
	}
	session := &store.Session{
		TokenHash: hash, UserID: user.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(a.Config.SessionMaxAge), ClientIP: c.RealIP(),
	}
	if err := a.Store.CreateSession(c.Request().Context(), session); err != nil {
		return storeFailure(err)
	}
	if err := a.Store.RecordLogin(c.Request().Context(), user.ID); err != nil {
		a.Logger.WarnContext(c.Request().Context(), "recording sign-in time failed", "user_id", user.ID, "error", err)
	}
	c.SetCookie(a.sessionCookie(token, int(a.Config.SessionMaxAge.Seconds())))
	// Dropping the CSRF cookie makes the next page issue a new token, so a
	// token seen before the sign-in is worthless after it.
	c.SetCookie(&http.Cookie{
		Name: csrfCookie, Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: !a.Config.Development(), SameSite: http.SameSiteStrictMode,
	})

	return nil
}

// handleLogout is POST /logout: end the session and clear its cookie.
func (a *App) handleLogout(c echo.Context) error {
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		if err := a.Store.DeleteSession(c.Request().Context(), auth.HashToken(cookie.Value)); err != nil {
			return storeFailure(err)
		}
	}
	a.audit(c, auditLogout, principalOf(c).Name, nil)
	c.SetCookie(a.sessionCookie("", -1))

	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

// sessionCookie is the session cookie: HttpOnly so scripts cannot read it,
// SameSite=Strict so other sites cannot send it, and Secure outside
// development. A negative maxAge deletes it.
func (a *App) sessionCookie(token string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !a.Config.Development(), SameSite: http.SameSiteStrictMode,
	}
}
