package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
)

// jsonObject is a request body decoded one level deep, so each field can be
// decoded and checked on its own.
type jsonObject map[string]json.RawMessage

// decodeJSONObject reads a request body that must be a JSON object sent as
// application/json.
func decodeJSONObject(c echo.Context) (jsonObject, error) {
	mediaType, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mediaType != echo.MIMEApplicationJSON {
		return nil, newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type")
	}

	body, err := io.ReadAll(c.Request().Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}
	if err != nil {
		return nil, newAPIError(http.StatusBadRequest, "invalid_json")
	}

	body = bytes.TrimSpace(body)
	if len(body) == 0 || !json.Valid(body) {
		return nil, newAPIError(http.StatusBadRequest, "invalid_json")
	}
	if body[0] != '{' {
		return nil, newAPIError(http.StatusBadRequest, "body_not_object")
	}
	var object jsonObject
	if err := json.Unmarshal(body, &object); err != nil {
		return nil, newAPIError(http.StatusBadRequest, "invalid_json")
	}

	return object, nil
}

// unknownKeys reports every key of object that is not in allowed.
func (object jsonObject) unknownKeys(allowed ...string) ehr.FieldErrors {
	known := make(map[string]bool, len(allowed))
	for _, key := range allowed {
		known[key] = true
	}
	var unknown []string
	for key := range object {
		if !known[key] {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)

	errs := make(ehr.FieldErrors, 0, len(unknown))
	for _, key := range unknown {
		errs = append(errs, ehr.FieldError{Field: key, Code: "unknown_field"})
	}

	return errs
}

// present reports whether key is set to something other than null.
func (object jsonObject) present(key string) bool {
	raw, ok := object[key]

	return ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// stringField decodes an optional string; required makes absence an error.
func (object jsonObject) stringField(key string, required bool, errs *ehr.FieldErrors) string {
	if !object.present(key) {
		if required {
			*errs = append(*errs, ehr.FieldError{Field: key, Code: "required"})
		}
		return ""
	}
	var value string
	if err := json.Unmarshal(object[key], &value); err != nil {
		*errs = append(*errs, ehr.FieldError{Field: key, Code: "must_be_string"})
		return ""
	}
	if required && value == "" {
		*errs = append(*errs, ehr.FieldError{Field: key, Code: "required"})
	}

	return value
}

// stringListField decodes an optional list of strings.
func (object jsonObject) stringListField(key string, errs *ehr.FieldErrors) []string {
	if !object.present(key) {
		return nil
	}
	var values []string
	if err := json.Unmarshal(object[key], &values); err != nil {
		*errs = append(*errs, ehr.FieldError{Field: key, Code: "must_be_string_list"})
		return nil
	}

	return values
}

// objectField returns the raw JSON of a field that must be an object.
func (object jsonObject) objectField(key string, required bool, errs *ehr.FieldErrors) json.RawMessage {
	if !object.present(key) {
		if required {
			*errs = append(*errs, ehr.FieldError{Field: key, Code: "required"})
		}
		return nil
	}
	raw := bytes.TrimSpace(object[key])
	if raw[0] != '{' {
		*errs = append(*errs, ehr.FieldError{Field: key, Code: "must_be_object"})
		return nil
	}

	return raw
}
