package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
)

// bulkPayloadEncoding carries a checked file from the preview to the send
// in a hidden field; its alphabet needs no escaping in a form body.
var bulkPayloadEncoding = base64.RawURLEncoding

// readBulkUpload reads the uploaded patient file, of at most
// MAX_BULK_REQUEST_BYTES.
//
// NOTE: the send carries the file in base64, a third larger, under the same
// MAX_BULK_REQUEST_BYTES body limit, so a file close to the limit passes the
// preview and is rejected with 413 on send.
func (a *App) readBulkUpload(c echo.Context) ([]byte, error) {
	header, err := c.FormFile("file")
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	case err != nil:
		return nil, invalidFields(ehr.FieldErrors{{Field: "file", Code: "required"}})
	case header.Size > a.Config.MaxBulkBytes:
		return nil, newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}
	file, err := header.Open()
	if err != nil {
		return nil, internalError(fmt.Errorf("opening uploaded patient file: %w", err))
	}
	defer file.Close()

	content, err := io.ReadAll(io.LimitReader(file, a.Config.MaxBulkBytes+1))
	if err != nil {
		return nil, internalError(fmt.Errorf("reading uploaded patient file: %w", err))
	}
	if int64(len(content)) > a.Config.MaxBulkBytes {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}

	return content, nil
}

// decodeBulkPayload reads back the file content that a preview carried
// forward. It is checked again like a new upload, since it came back from
// the browser.
func (a *App) decodeBulkPayload(payload string) ([]byte, error) {
	if int64(bulkPayloadEncoding.DecodedLen(len(payload))) > a.Config.MaxBulkBytes {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}
	content, err := bulkPayloadEncoding.DecodeString(payload)
	if err != nil || len(content) == 0 {
		return nil, invalidFields(ehr.FieldErrors{{Field: "file", Code: "required"}})
	}

	return content, nil
}

// parseBulkPatients reads a CSV or JSON patient file into one JSON object
// per patient. A file whose first character is "[" or "{" is JSON: a list
// of patients or an object with a "patients" list. Anything else is CSV,
// read as the API reads a CSV upload.
func (a *App) parseBulkPatients(content []byte) (bulkFile, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(content, []byte("\ufeff")))
	var file bulkFile
	var err error
	switch {
	case len(trimmed) == 0:
		return bulkFile{}, invalidFields(ehr.FieldErrors{{Field: "file", Code: "required"}})
	case trimmed[0] == '[' || trimmed[0] == '{':
		file.Patients, err = bulkJSONPatients(trimmed)
	default:
		file, err = csvPatients(bytes.NewReader(content))
	}
	if err != nil {
		return bulkFile{}, err
	}

	return file, a.checkBulkSize(bulkRequest{Patients: file.Patients}, nil)
}

// bulkContentKey is the idempotency key of sending a file's content to an
// EHR: the same file sent twice to the same EHR gets the same key, so the
// second send returns the first one's transactions. Line endings and a
// byte order mark do not change the key.
func bulkContentKey(ehrName string, content []byte, targets []string) string {
	normalized := bytes.TrimPrefix(content, []byte("\ufeff"))
	normalized = bytes.ReplaceAll(normalized, []byte("\r\n"), []byte("\n"))
	normalized = bytes.TrimSpace(normalized)

	sum := sha256.New()
	for _, part := range [][]byte{[]byte(strings.ToLower(ehrName)), normalized, []byte(strings.Join(targets, ","))} {
		_, _ = fmt.Fprintf(sum, "%d:", len(part)) // hash.Hash documents that Write never returns an error.
		_, _ = sum.Write(part)
	}

	return "bulk-page-" + hex.EncodeToString(sum.Sum(nil))
}

// bulkJSONPatients reads a JSON list of patients, alone or under the
// "patients" key of an object.
func bulkJSONPatients(content []byte) ([]json.RawMessage, error) {
	if !json.Valid(content) {
		return nil, invalidFields(ehr.FieldErrors{{Field: "file", Code: "invalid_json"}})
	}
	list := json.RawMessage(content)
	if content[0] == '{' {
		var body struct {
			Patients json.RawMessage `json:"patients"`
		}
		if err := json.Unmarshal(content, &body); err != nil {
			return nil, invalidFields(ehr.FieldErrors{{Field: "file", Code: "invalid_json"}})
		}
		if body.Patients == nil {
			return nil, invalidFields(ehr.FieldErrors{{Field: "patients", Code: "required"}})
		}
		list = body.Patients
	}

	var patients []json.RawMessage
	if err := json.Unmarshal(list, &patients); err != nil {
		return nil, invalidFields(ehr.FieldErrors{{Field: "patients", Code: "must_be_list"}})
	}

	return patients, nil
}
