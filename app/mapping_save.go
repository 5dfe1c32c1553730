package app

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
)

// maxMappingCommentLength bounds a mapping version's comment.
const maxMappingCommentLength = 500

// handleSaveMapping is POST /ehr/save-mapping: validate the mapping (full
// or simple form) and store it as the EHR's next version.
func (a *App) handleSaveMapping(c echo.Context) error {
	body, err := decodeJSONObject(c)
	if err != nil {
		return err
	}
	var fieldErrs ehr.FieldErrors
	a.setRequestLanguage(c, body.stringField("language", false, &fieldErrs))
	fieldErrs = append(fieldErrs, body.unknownKeys("ehrName", "mappingConfig", "comment", "language")...)
	ehrName := strings.TrimSpace(body.stringField("ehrName", true, &fieldErrs))
	comment := strings.TrimSpace(body.stringField("comment", false, &fieldErrs))
	if len(comment) > maxMappingCommentLength {
		fieldErrs = append(fieldErrs, ehr.FieldError{Field: "comment", Code: "too_long", Args: []any{maxMappingCommentLength}})
	}
	raw := body.objectField("mappingConfig", true, &fieldErrs)
	if len(fieldErrs) > 0 {
		return invalidFields(fieldErrs)
	}

	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, ehrName)
	if err != nil {
		return err
	}
	current, err := a.currentMapping(ctx, system)
	if err != nil {
		return err
	}
	family, _ := ehr.LookupFamily(system.Family)

	config, parseErrs := ehr.ParseMappingConfig(raw, family.PatientEndpoint, &current.Config)
	if len(parseErrs) == 0 {
		parseErrs = config.Validate()
	}
	if len(parseErrs) > 0 {
		return invalidFields(parseErrs.Prefixed("mappingConfig."))
	}

	encoded, err := json.Marshal(config)
	if err != nil {
		return internalError(err)
	}
	saved, err := a.storeMappingVersion(c, system, encoded, comment, auditMappingSave, map[string]any{"comment": comment})
	if err != nil {
		return err
	}

	return c.JSON(http.StatusCreated, toMappingBody(system, ehr.Mapping{
		EHRName: system.Name, Version: saved.Version, Comment: saved.Comment, CreatedAt: saved.CreatedAt, Config: config,
	}))
}
