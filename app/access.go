package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
)

const (
	principalContextKey = "principal"
	// sessionCookie holds a signed-in browser's session token.
	sessionCookie = "ehrbridge_session"
	// touchEvery limits how often a session's or key's last use is written.
	touchEvery = time.Minute
)

// errBadCredentials marks a request that presented an API key or a session
// that is not valid, so it gets 401 even on routes a caller without
// credentials could not reach either.
var errBadCredentials = errors.New("credentials not valid")

// principalOf returns who made the request; anonymous before
// authentication has run.
func principalOf(c echo.Context) auth.Principal {
	if p, ok := c.Get(principalContextKey).(auth.Principal); ok {
		return p
	}

	return auth.Principal{Kind: auth.Anonymous}
}

// authenticate names the caller of each request: an API key from the
// Authorization header, else a session from its cookie, else anonymous
// (or, while authentication is off, the unchecked development caller).
// The JSON API takes API keys only: a browser's session cookie does not
// reach it, so a page of another site cannot make a signed-in browser
// send to it.
func (a *App) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		principal, err := a.resolvePrincipal(c)
		if err != nil && !errors.Is(err, errBadCredentials) {
			return storeFailure(err)
		}
		// With authentication off, credentials that do not check out are
		// ignored like missing ones, so the same requests work before and
		// after keys exist.
		if principal.Kind == auth.Anonymous && !a.Config.AuthRequired {
			principal, err = auth.Principal{Kind: auth.Unchecked}, nil
		}
		c.Set(principalContextKey, principal)
		if errors.Is(err, errBadCredentials) {
			c.Set(badCredentialsContextKey, true)
		}

		return next(c)
	}
}

const badCredentialsContextKey = "bad_credentials"

// isAPIPath reports whether path belongs to the JSON API.
func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/ehr/")
}

func (a *App) resolvePrincipal(c echo.Context) (auth.Principal, error) {
	ctx := c.Request().Context()
	if header := c.Request().Header.Get(echo.HeaderAuthorization); header != "" {
		return a.principalFromAPIKey(ctx, header)
	}
	if isAPIPath(c.Request().URL.Path) {
		return auth.Principal{Kind: auth.Anonymous}, nil
	}
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		return a.principalFromSession(ctx, cookie.Value)
	}

	return auth.Principal{Kind: auth.Anonymous}, nil
}

func (a *App) principalFromAPIKey(ctx context.Context, header string) (auth.Principal, error) {
	anonymous := auth.Principal{Kind: auth.Anonymous}
	token, ok := auth.BearerToken(header)
	if !ok {
		return anonymous, errBadCredentials
	}
	keyID, ok := auth.ParseAPIKey(token)
	if !ok {
		return anonymous, errBadCredentials
	}
	key, err := a.Store.FindAPIKey(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return anonymous, errBadCredentials
	}
	if err != nil {
		return anonymous, err
	}
	if subtle.ConstantTimeCompare(key.SecretHash, auth.HashToken(token)) != 1 {
		return anonymous, errBadCredentials
	}

	now := time.Now()
	if key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > touchEvery {
		if err := a.Store.TouchAPIKey(ctx, key.ID, now); err != nil {
			a.Logger.WarnContext(ctx, "recording API key use failed", "key_id", key.KeyID, "error", err)
		}
	}

	return auth.Principal{Kind: auth.APIKey, ID: key.ID, Name: key.KeyID, Scopes: key.ScopeList(), KeyLabel: key.Name}, nil
}

func (a *App) principalFromSession(ctx context.Context, token string) (auth.Principal, error) {
	anonymous := auth.Principal{Kind: auth.Anonymous}
	hash := auth.HashToken(token)
	now := time.Now()
	session, user, err := a.Store.FindSession(ctx, hash, now, a.Config.SessionIdleTimeout)
	if errors.Is(err, store.ErrNotFound) {
		return anonymous, errBadCredentials
	}
	if err != nil {
		return anonymous, err
	}

	if now.Sub(session.LastSeenAt) > touchEvery {
		if err := a.Store.TouchSession(ctx, hash, now); err != nil {
			a.Logger.WarnContext(ctx, "recording session use failed", "user_id", user.ID, "error", err)
		}
	}

	return auth.Principal{Kind: auth.User, ID: user.ID, Name: user.Username, Role: user.Role}, nil
}

// authorize lets a request through when its caller has the permission its
// route requires. Otherwise an API request gets 401 (no valid
// credentials) or 403 (not allowed), and a page request without a
// sign-in is sent to the sign-in page.
func (a *App) authorize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == "" || c.Path() == "/*" {
			// No route matched: the router responds with 404 or 405.
			return next(c)
		}
		perm, ok := routePermission(c.Request().Method, c.Path())
		if !ok {
			a.Logger.ErrorContext(c.Request().Context(), "route has no access rule", "method", c.Request().Method, "route", c.Path())
			return newAPIError(http.StatusForbidden, "forbidden")
		}

		principal := principalOf(c)
		if principal.Allows(perm) {
			return next(c)
		}

		return a.deny(c, principal)
	}
}

func (a *App) deny(c echo.Context, principal auth.Principal) error {
	signedIn := principal.Kind == auth.User || principal.Kind == auth.APIKey
	if signedIn {
		return newAPIError(http.StatusForbidden, "forbidden")
	}
	if wantsHTML(c) {
		return redirectToLogin(c)
	}
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="ehrbridge"`)
	if bad, _ := c.Get(badCredentialsContextKey).(bool); bad {
		return newAPIError(http.StatusUnauthorized, "invalid_credentials")
	}

	return newAPIError(http.StatusUnauthorized, "unauthorized")
}

// redirectToLogin sends a browser to the sign-in page, which brings it
// back to the page it asked for. HTMX requests get HX-Redirect so the whole
// page moves, not just the swapped fragment.
func redirectToLogin(c echo.Context) error {
	next := c.Request().URL.Path
	if c.Request().Method != http.MethodGet {
		next = "/"
	}
	if c.Request().Method == http.MethodGet && c.Request().URL.RawQuery != "" {
		next += "?" + c.Request().URL.RawQuery
	}
	target := "/login?next=" + url.QueryEscape(next)

	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}

	return c.Redirect(http.StatusSeeOther, target)
}
