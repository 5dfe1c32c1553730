package app

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleBulkPage is GET /bulk: the upload form, with the EHR named by
// ?ehrName or else the first one chosen.
func (a *App) handleBulkPage(c echo.Context) error {
	form, err := a.bulkForm(c.Request().Context(), c.QueryParam("ehrName"))
	if err != nil {
		return err
	}
	if form.EHRName == "" && len(form.Systems) > 0 {
		form.EHRName = form.Systems[0]
	}

	return a.renderBulkPage(c, http.StatusOK, views.BulkProps{Form: form})
}

// bulkForm is the upload form with the EHR choice and ehrName chosen.
func (a *App) bulkForm(ctx context.Context, ehrName string) (views.BulkForm, error) {
	systems, err := a.sendSystemNames(ctx)
	if err != nil {
		return views.BulkForm{}, err
	}
	name, _ := sendFindSystem(systems, ehrName)

	return views.BulkForm{Systems: systems, EHRName: name}, nil
}

// renderBulkPage writes the whole page, or for htmx the outcome (and the
// form again) or the form with its errors in place of the old form.
func (a *App) renderBulkPage(c echo.Context, status int, props views.BulkProps) error {
	props.Page = a.page(c, "page.bulk.title")
	sendPageNoStore(c)
	switch {
	case !sendPageIsHTMX(c):
		return render(c, status, views.BulkPage(props))
	case props.Preview != nil || props.Submitted != nil:
		return render(c, http.StatusOK, views.BulkResultSwap(props))
	default:
		// htmx swaps only 2xx responses, so the errors come with a 200.
		sendPageRetarget(c, "#"+views.BulkFormID)
		return render(c, http.StatusOK, views.BulkFormSwap(props))
	}
}
