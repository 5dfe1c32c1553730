package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

var (
	systemNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	envNamePattern    = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,127}$`)
	authKinds         = []string{ehr.AuthNone, ehr.AuthBearer, ehr.AuthBasic, ehr.AuthClientCredentials, ehr.AuthUnityToken}
)

var systemFields = []string{"name", "family", "baseUrl", "practiceId", "authKind", "clientId", "secretEnv", "options", "mappingConfig", "language"}

// handleCreateSystem is POST /ehr/systems: add an EHR system with its
// family's default mapping, or with the mapping the request gives.
func (a *App) handleCreateSystem(c echo.Context) error {
	body, err := decodeJSONObject(c)
	if err != nil {
		return err
	}
	var errs ehr.FieldErrors
	a.setRequestLanguage(c, body.stringField("language", false, &errs))
	errs = append(errs, body.unknownKeys(systemFields...)...)
	system, family := a.parseSystem(body, &errs)
	if len(errs) > 0 {
		return invalidFields(errs)
	}

	config, errs := systemMapping(body, family)
	if len(errs) > 0 {
		return invalidFields(errs)
	}
	encoded, err := json.Marshal(config)
	if err != nil {
		return internalError(err)
	}

	err = a.createSystem(c, &system, encoded)
	if errors.Is(err, store.ErrDuplicateName) {
		return newAPIError(http.StatusConflict, "ehr_exists", system.Name)
	}
	if err != nil {
		return err
	}

	return c.JSON(http.StatusCreated, toSystemBody(system, secretIsSet(system.SecretEnv)))
}

// createSystem stores a new EHR system with its first mapping and records
// it in the audit log. A duplicate name returns store.ErrDuplicateName.
func (a *App) createSystem(c echo.Context, system *store.System, firstMapping []byte) error {
	ctx := c.Request().Context()
	err := a.Store.CreateSystem(ctx, system, firstMapping, "first mapping")
	if errors.Is(err, store.ErrDuplicateName) {
		return err
	}
	if err != nil {
		return storeFailure(err)
	}
	// A lookup of this name before it existed may have left nothing to
	// drop, but a system deleted and created again would.
	a.forgetMapping(ctx, system.Name)
	a.Logger.InfoContext(c.Request().Context(), "EHR system created", "ehr", system.Name, "ehr_system_id", system.ID)
	a.audit(c, auditSystemCreate, system.Name, map[string]any{"family": system.Family, "baseUrl": system.BaseURL})

	return nil
}

func (a *App) parseSystem(body jsonObject, errs *ehr.FieldErrors) (store.System, ehr.Family) {
	system := store.System{
		Name:       strings.TrimSpace(body.stringField("name", true, errs)),
		Family:     strings.ToLower(strings.TrimSpace(body.stringField("family", true, errs))),
		BaseURL:    strings.TrimSpace(body.stringField("baseUrl", true, errs)),
		PracticeID: strings.TrimSpace(body.stringField("practiceId", false, errs)),
		AuthKind:   strings.TrimSpace(body.stringField("authKind", false, errs)),
		ClientID:   strings.TrimSpace(body.stringField("clientId", false, errs)),
		SecretEnv:  strings.TrimSpace(body.stringField("secretEnv", false, errs)),
		Options:    store.StringMap{},
	}
	if body.present("options") {
		if err := json.Unmarshal(body["options"], &system.Options); err != nil {
			*errs = append(*errs, ehr.FieldError{Field: "options", Code: "must_be_string_map"})
		}
	}

	if system.Name != "" && !systemNamePattern.MatchString(system.Name) {
		*errs = append(*errs, ehr.FieldError{Field: "name", Code: "invalid_ehr_name"})
	}
	family, known := ehr.LookupFamily(system.Family)
	if system.Family != "" && !known {
		*errs = append(*errs, ehr.FieldError{Field: "family", Code: "invalid_choice", Args: []any{strings.Join(ehr.FamilyNames(), ", ")}})
	}
	if system.AuthKind == "" {
		system.AuthKind = family.DefaultAuthKind
	}
	if system.AuthKind != "" && !slices.Contains(authKinds, system.AuthKind) {
		*errs = append(*errs, ehr.FieldError{Field: "authKind", Code: "invalid_choice", Args: []any{strings.Join(authKinds, ", ")}})
	}
	if system.SecretEnv != "" && !envNamePattern.MatchString(system.SecretEnv) {
		*errs = append(*errs, ehr.FieldError{Field: "secretEnv", Code: "invalid_env_name"})
	}
	if system.BaseURL != "" && !a.validBaseURL(system.BaseURL) {
		*errs = append(*errs, ehr.FieldError{Field: "baseUrl", Code: "invalid_base_url"})
	}

	return system, family
}

// validBaseURL accepts an absolute http(s) URL without query or fragment,
// and in development a simulator path such as /sim/rest.
func (a *App) validBaseURL(raw string) bool {
	if IsSimulatorURL(raw) {
		return a.Config.Development()
	}
	u, err := url.Parse(raw)

	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// systemMapping is the request's mapping, or the family's default one.
func systemMapping(body jsonObject, family ehr.Family) (ehr.Config, ehr.FieldErrors) {
	if !body.present("mappingConfig") {
		return family.DefaultMapping, nil
	}
	config, errs := ehr.ParseMappingConfig(body["mappingConfig"], family.PatientEndpoint, nil)
	if len(errs) == 0 {
		errs = config.Validate()
	}

	return config, errs.Prefixed("mappingConfig.")
}

// secretIsSet reports whether the named environment variable has a value.
func secretIsSet(name string) bool {
	return name != "" && os.Getenv(name) != ""
}
