package app

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// sendPageListOp renders the send form again after its "Add another" or
// "Remove" button posted it without JavaScript, with a row added to or
// removed from a repeatable input. Nothing is validated or sent. op is
// "add:<field>" or "remove:<field>:<row index>", and any other value
// changes nothing.
func (a *App) sendPageListOp(c echo.Context, params url.Values, op string) error {
	ctx := c.Request().Context()
	systems, err := a.sendSystemNames(ctx)
	if err != nil {
		return err
	}
	input := readSendForm(params)
	for _, list := range views.SendListFields {
		input.lists[list.Path] = sendTrimmedRows(params[list.Path])
	}
	applySendListOp(input.lists, op)

	form, err := a.sendForm(ctx, input, systems)
	if err != nil {
		return err
	}

	return a.renderSendPage(c, http.StatusOK, form, nil)
}

// applySendListOp adds a blank row to, or removes one row from, the rows
// of the repeatable input that op names.
func applySendListOp(lists map[string][]string, op string) {
	parts := strings.Split(op, ":")
	if len(parts) < 2 {
		return
	}
	if _, ok := views.SendListFieldFor(parts[1]); !ok {
		return
	}
	rows := lists[parts[1]]
	switch {
	case parts[0] == "add" && len(parts) == 2:
		rows = append(rows, "")
	case parts[0] == "remove" && len(parts) == 3:
		index, err := strconv.Atoi(parts[2])
		if err == nil && index >= 0 && index < len(rows) {
			rows = slices.Delete(rows, index, index+1)
		}
	}
	lists[parts[1]] = rows
}

// sendTrimmedRows returns the rows of a repeatable input as posted, blank
// ones included, so that row indexes match the page that posted them.
func sendTrimmedRows(rows []string) []string {
	trimmed := make([]string, len(rows))
	for i, row := range rows {
		trimmed[i] = strings.TrimSpace(row)
	}

	return trimmed
}
