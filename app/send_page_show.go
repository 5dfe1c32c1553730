package app

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// sendEmptyRows is how many rows each repeatable input shows at least, so
// that the form works without JavaScript.
const sendEmptyRows = 3

// handleSendPage is GET /send: the empty patient form, with the EHR named
// by ?ehrName or else the first one chosen.
func (a *App) handleSendPage(c echo.Context) error {
	ctx := c.Request().Context()
	systems, err := a.sendSystemNames(ctx)
	if err != nil {
		return err
	}
	input := sendFormInput{ehrName: c.QueryParam("ehrName"), mode: ModeSync}
	if input.ehrName == "" && len(systems) > 0 {
		input.ehrName = systems[0]
	}
	form, err := a.sendForm(ctx, input, systems)
	if err != nil {
		return err
	}

	return a.renderSendPage(c, http.StatusOK, form, nil)
}

// sendSystemNames lists the names of the configured EHR systems.
func (a *App) sendSystemNames(ctx context.Context) ([]string, error) {
	systems, err := a.Store.ListSystems(ctx)
	if err != nil {
		return nil, storeFailure(err)
	}
	names := make([]string, len(systems))
	for i, system := range systems {
		names[i] = system.Name
	}

	return names, nil
}

// sendForm builds the form's view from what was posted, with the EHR
// choice and the chosen EHR's endpoints.
func (a *App) sendForm(ctx context.Context, input sendFormInput, systems []string) (views.SendForm, error) {
	form := input.viewForm()
	form.Systems = systems
	endpoints, err := a.sendEndpointOptions(ctx, input.ehrName, input.targets)
	if err != nil {
		return views.SendForm{}, err
	}
	form.Endpoints = endpoints

	return form, nil
}

// renderSendPage writes the whole page, or for htmx the result (and the
// form again) or the form with its errors in place of the old form.
func (a *App) renderSendPage(c echo.Context, status int, form views.SendForm, result *views.SendResult) error {
	props := views.SendProps{Page: a.page(c, "page.send.title"), Form: form, Result: result}
	sendPageNoStore(c)
	switch {
	case !sendPageIsHTMX(c):
		return render(c, status, views.SendPage(props))
	case result != nil:
		return render(c, http.StatusOK, views.SendResultSwap(props))
	default:
		// htmx swaps only 2xx responses, so the errors come with a 200.
		sendPageRetarget(c, "#"+views.SendFormID)
		return render(c, http.StatusOK, views.SendFormSwap(props))
	}
}
