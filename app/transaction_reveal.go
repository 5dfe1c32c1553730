package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (a *App) handleRevealTransaction(c echo.Context) error {
	return newAPIError(http.StatusNotImplemented, "internal")
}
