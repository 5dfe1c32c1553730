package app

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleSendPageRow is GET /send/rows/:field: one more empty row of a
// repeatable input (allergies, medications or symptoms), with an id of its
// own, focused when it appears.
func (a *App) handleSendPageRow(c echo.Context) error {
	list, ok := views.SendListFieldFor(c.Param("field"))
	if !ok {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix) // Since Go 1.24, crypto/rand.Read returns no error.
	id := list.Path + "-new-" + hex.EncodeToString(suffix)

	return render(c, http.StatusOK, views.SendListRow(a.page(c, "page.send.title"), list, -1, id, "", "", true))
}
