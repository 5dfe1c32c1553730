package app

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/ehr/allscripts"
	"ehrbridge/views"
)

// systemFormState is the content of one rendering of the create or edit
// form.
type systemFormState struct {
	isNew  bool
	system store.System
	errs   ehr.FieldErrors
	notice string
	check  *views.SystemCheckResult
}

// handleSystemNewPage is GET /systems/new: the create form.
func (a *App) handleSystemNewPage(c echo.Context) error {
	return a.renderSystemForm(c, http.StatusOK, systemFormState{isNew: true, system: store.System{Options: store.StringMap{}}})
}

// handleSystemEditPage is GET /systems/:name: the edit form. After a save
// or a create, ?saved=1 or ?created=1 adds a notice.
func (a *App) handleSystemEditPage(c echo.Context) error {
	system, err := a.findSystem(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	state := systemFormState{system: system}
	switch {
	case c.QueryParam("created") != "":
		state.notice = a.page(c, "page.systems.edit_title").T("page.systems.created_notice")
	case c.QueryParam("saved") != "":
		state.notice = a.page(c, "page.systems.edit_title").T("page.systems.saved_notice")
	}

	return a.renderSystemForm(c, http.StatusOK, state)
}

// systemFromForm reads the posted settings onto base. A new system also
// takes its name and family from the form; an existing one keeps them.
// The Unity options are read for the allscripts family only, and other
// options base has are kept.
func systemFromForm(form url.Values, base store.System, isNew bool) store.System {
	text := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	system := base
	if isNew {
		system.Name, system.Family = text("name"), strings.ToLower(text("family"))
	}
	system.BaseURL, system.PracticeID, system.AuthKind = text("baseUrl"), text("practiceId"), text("authKind")
	system.ClientID, system.SecretEnv = text("clientId"), text("secretEnv")

	system.Options = store.StringMap{}
	for key, value := range base.Options {
		system.Options[key] = value
	}
	if system.Family == allscripts.FamilyName {
		setOption(system.Options, allscripts.OptionAppName, text(allscripts.OptionAppName))
		setOption(system.Options, allscripts.OptionAppUserID, text(allscripts.OptionAppUserID))
	}

	return system
}

// setOption sets an option, or removes it when value is empty.
func setOption(options store.StringMap, key, value string) {
	if value == "" {
		delete(options, key)
		return
	}
	options[key] = value
}

// renderSystemForm writes the create or edit form with its errors, each
// under its field and listed above the form.
func (a *App) renderSystemForm(c echo.Context, status int, state systemFormState) error {
	titleKey := "page.systems.edit_title"
	if state.isNew {
		titleKey = "page.systems.new_title"
	}
	tag := a.requestLanguage(c)
	system := state.system
	props := views.SystemFormProps{
		Page: a.page(c, titleKey), IsNew: state.isNew, Families: ehr.FamilyNames(), AuthKinds: authKinds,
		Errors: map[string]string{}, Notice: state.notice, Check: state.check,
		Form: views.SystemFormValues{
			Name: system.Name, Family: system.Family, BaseURL: system.BaseURL, PracticeID: system.PracticeID,
			AuthKind: system.AuthKind, ClientID: system.ClientID, SecretEnv: system.SecretEnv,
			SecretSet: secretIsSet(system.SecretEnv), Simulator: IsSimulatorURL(system.BaseURL),
			AppName: system.Options[allscripts.OptionAppName], AppUserID: system.Options[allscripts.OptionAppUserID],
		},
	}
	for _, fe := range state.errs {
		label := fe.Field
		if key, ok := systemFieldLabels[fe.Field]; ok {
			label = a.Catalog.Text(tag, key)
		}
		message := a.Catalog.FieldMessage(tag, ehr.FieldError{Field: label, Code: fe.Code, Args: fe.Args})
		props.Summary = append(props.Summary, views.SystemErrorLink{InputID: systemErrorInputID(fe.Field), Text: message})
		setOnce(props.Errors, fe.Field, message)
	}

	return render(c, status, views.SystemForm(props))
}

// systemErrorInputID is the element id of the input an error belongs to:
// the field's own input, or the form for an error on none of them.
func systemErrorInputID(field string) string {
	if _, ok := systemFieldLabels[field]; ok {
		return views.SystemInputID(field)
	}

	return "system-form"
}

// systemFieldLabels are the locale keys of the form's field labels, by
// field name.
var systemFieldLabels = map[string]string{
	"name":       "page.systems.field_name",
	"family":     "page.systems.field_family",
	"baseUrl":    "page.systems.field_base_url",
	"practiceId": "page.systems.field_practice_id",
	"authKind":   "page.systems.field_auth_kind",
	"clientId":   "page.systems.field_client_id",
	"secretEnv":  "page.systems.field_secret_env",
}
