package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// connectionCheckTimeout bounds one connection test.
const connectionCheckTimeout = 5 * time.Second

// handleSystemTestConnection is POST /systems/:name/test: check the stored
// settings of an EHR system without sending patient data. HTMX gets the
// result alone; a plain form post gets the edit page with it.
func (a *App) handleSystemTestConnection(c echo.Context) error {
	system, err := a.findSystem(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	check := a.checkSystemConnection(c.Request().Context(), a.requestLanguage(c), system)

	if configurationHTMX(c) {
		return render(c, http.StatusOK, views.SystemCheckFragment(a.page(c, "page.systems.edit_title"), check))
	}

	return a.renderSystemForm(c, http.StatusOK, systemFormState{system: system, check: &check})
}

// checkSystemConnection resolves the system's base URL as a send would,
// then runs its family's connection check: a token request for athena and
// Unity, a GET on the base URL for REST. Failures are shown by their
// sanitized, translated reason.
func (a *App) checkSystemConnection(ctx context.Context, tag language.Tag, system store.System) views.SystemCheckResult {
	result := views.SystemCheckResult{Supported: true, AuthUsed: system.AuthKind != ehr.AuthNone && system.AuthKind != ""}
	integration, err := a.Integrations.For(system)
	if err != nil {
		a.Logger.Warn("connection test: integration not built", "ehr", system.Name, "error", err)
		result.Failure = a.Catalog.Text(tag, "ehr_call."+ehr.CallCodeConfig)
		return result
	}
	checker, ok := integration.(ehr.ConnectionChecker)
	if !ok {
		return views.SystemCheckResult{}
	}

	ctx, cancel := context.WithTimeout(ctx, connectionCheckTimeout)
	defer cancel()
	err = checker.CheckConnection(ctx)
	if err == nil {
		result.Reached, result.AuthOK = true, true
		a.Logger.Info("connection test passed", "ehr", system.Name)
		return result
	}

	var checkErr *ehr.ConnectionCheckError
	if !errors.As(err, &checkErr) {
		checkErr = &ehr.ConnectionCheckError{Cause: ehr.AsCallError(err)}
	}
	result.Reached = checkErr.Reached
	result.Failure = a.callErrorMessage(tag, checkErr.Cause)
	result.Detail = checkErr.Cause.Reason
	a.Logger.Info("connection test failed", "ehr", system.Name, "reached", checkErr.Reached, "code", checkErr.Cause.Code)

	return result
}
