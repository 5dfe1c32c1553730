package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleSendPageEndpoints is GET /send/endpoints?ehrName=: the endpoint
// checkboxes of that EHR's current mapping, none checked.
func (a *App) handleSendPageEndpoints(c echo.Context) error {
	endpoints, err := a.sendEndpointOptions(c.Request().Context(), strings.TrimSpace(c.QueryParam("ehrName")), nil)
	if err != nil {
		return err
	}

	return render(c, http.StatusOK, views.SendEndpointsFieldset(a.page(c, "page.send.title"), endpoints, ""))
}

// sendEndpointOptions lists the endpoints of an EHR's current mapping,
// with those in checked checked. An unknown EHR, or one without a
// mapping, gives no options and is marked unavailable.
func (a *App) sendEndpointOptions(ctx context.Context, ehrName string, checked []string) (views.SendEndpoints, error) {
	endpoints := views.SendEndpoints{EHRName: ehrName}
	if ehrName == "" {
		return endpoints, nil
	}
	entry, err := a.lookupMapping(ctx, ehrName)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		endpoints.Unavailable = true
		return endpoints, nil
	}
	if err != nil {
		return endpoints, err
	}

	endpoints.EHRName = entry.System.Name
	for _, endpoint := range entry.Mapping.Config.Endpoints {
		endpoints.Options = append(endpoints.Options, views.SendEndpointOption{
			Name: endpoint.Name, IdentifiesPatient: endpoint.IdentifiesPatient, Checked: slices.Contains(checked, endpoint.Name),
		})
	}

	return endpoints, nil
}
