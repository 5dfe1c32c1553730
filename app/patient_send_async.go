package app

import (
	"github.com/labstack/echo/v4"
)

// handleSendPatientDataAsync is POST /ehr/send-patient-data-async: validate
// exactly as the synchronous send does, store the transaction with its
// delivery job, and answer 202 with where to follow it.
func (a *App) handleSendPatientDataAsync(c echo.Context) error {
	req, err := a.parseSendRequest(c)
	if err != nil {
		return err
	}

	outcome, err := a.SendAsync(c.Request().Context(), req)
	if err != nil {
		return err
	}

	return writeSendOutcome(c, outcome)
}

// writeSendOutcome writes a send's answer, marking idempotent replays.
func writeSendOutcome(c echo.Context, outcome SendOutcome) error {
	if outcome.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}

	return c.JSONBlob(outcome.Status, outcome.Body)
}
