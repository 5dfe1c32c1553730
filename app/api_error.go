package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// APIError is an error returned to an API client: an HTTP status, a stable
// code whose message comes from the locale files ("error.<code>"), the
// message's arguments, and the invalid fields when there are any.
type APIError struct {
	Status int
	Code   string
	Args   []any
	Fields ehr.FieldErrors
	// Cause is logged for 5xx responses and never sent to the client.
	Cause error
}

func (e *APIError) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Cause.Error()
	}

	return e.Code
}

func (e *APIError) Unwrap() error { return e.Cause }

// newAPIError builds an APIError with a status, a code and its arguments.
func newAPIError(status int, code string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Args: args}
}

// invalidFields is the 400 response for input with invalid fields.
func invalidFields(fields ehr.FieldErrors) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "validation_failed", Fields: fields}
}

// internalError is the 500 answer; cause is logged, not sent.
func internalError(cause error) *APIError {
	return &APIError{Status: http.StatusInternalServerError, Code: "internal", Cause: cause}
}

type fieldErrorBody struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type errorBody struct {
	Error     string           `json:"error"`
	Message   string           `json:"message"`
	Fields    []fieldErrorBody `json:"fields,omitempty"`
	RequestID string           `json:"requestId,omitempty"`
}

// handleError is Echo's error handler: every error becomes a JSON body in
// the request's language, and a 5xx never carries an internal error's text.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	apiErr := a.toAPIError(err)
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	if apiErr.Status >= 500 {
		a.Logger.Error("request failed", "request_id", requestID, "method", c.Request().Method,
			"route", c.Path(), "status", apiErr.Status, "error", apiErr.Cause)
	}

	if wantsHTML(c) {
		a.renderErrorPage(c, apiErr)
		return
	}

	tag := a.requestLanguage(c)
	body := errorBody{
		Error:     apiErr.Code,
		Message:   a.Catalog.Text(tag, "error."+apiErr.Code, apiErr.Args...),
		RequestID: requestID,
	}
	if len(apiErr.Fields) > 0 {
		body.Fields = a.fieldErrorBodies(tag, apiErr.Fields)
	}

	if err := c.JSON(apiErr.Status, body); err != nil {
		a.Logger.Warn("writing error response failed", "request_id", requestID, "error", err)
	}
}

// toAPIError maps any handler error to an APIError.
func (a *App) toAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}

	var httpErr *echo.HTTPError
	if errors.As(err, &httpErr) {
		return echoErrorToAPIError(httpErr)
	}

	return internalError(err)
}

func echoErrorToAPIError(httpErr *echo.HTTPError) *APIError {
	switch httpErr.Code {
	case http.StatusNotFound:
		return newAPIError(http.StatusNotFound, "route_not_found")
	case http.StatusMethodNotAllowed:
		return newAPIError(http.StatusMethodNotAllowed, "method_not_allowed")
	case http.StatusRequestEntityTooLarge:
		return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	case http.StatusUnsupportedMediaType:
		return newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type")
	case http.StatusServiceUnavailable:
		return newAPIError(http.StatusServiceUnavailable, "database_unavailable")
	}
	if httpErr.Code >= 500 {
		return internalError(httpErr)
	}

	return newAPIError(httpErr.Code, "bad_request")
}

// requestLanguage picks the language of a response when the body has not
// named one: ?lang=, then the UI's language cookie, then Accept-Language,
// then English. Handlers that read a "language" field store their choice
// under languageContextKey first.
func (a *App) requestLanguage(c echo.Context) language.Tag {
	if tag, ok := c.Get(languageContextKey).(language.Tag); ok {
		return tag
	}

	return a.Catalog.Resolve(c.QueryParam("lang"), a.languageFromCookie(c), c.Request().Header.Get("Accept-Language"))
}

// languageFromCookie returns the language the UI's switch remembered.
func (a *App) languageFromCookie(c echo.Context) string {
	cookie, err := c.Cookie(languageCookie)
	if err != nil {
		return ""
	}

	return cookie.Value
}

// languageContextKey stores the language a handler resolved from its body.
const languageContextKey = "ehrbridge.language"

// setRequestLanguage resolves the language with the body's own field first
// and remembers it for the error handler.
func (a *App) setRequestLanguage(c echo.Context, requested string) language.Tag {
	tag := a.Catalog.Resolve(requested, c.QueryParam("lang"), c.Request().Header.Get("Accept-Language"))
	c.Set(languageContextKey, tag)

	return tag
}

// renderErrorPage answers a failed page request with an HTML page.
func (a *App) renderErrorPage(c echo.Context, apiErr *APIError) {
	page := a.page(c, "page.error.title")
	props := views.ErrorProps{Page: page, Status: apiErr.Status, Message: page.T("error."+apiErr.Code, apiErr.Args...)}
	if err := render(c, apiErr.Status, views.ErrorPage(props)); err != nil {
		a.Logger.Warn("writing error page failed", "error", err)
	}
}
