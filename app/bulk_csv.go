package app

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
)

// csvSeparators are the column separators a CSV file may use: comma,
// semicolon (which spreadsheets use in locales with a decimal comma) or tab.
var csvSeparators = []rune{',', ';', '\t'}

// csvListSeparator returns the separator of the items in a list cell: ";"
// as in "Penicillin; Latex", or "|" when the columns are separated by ";".
func csvListSeparator(columnSeparator rune) string {
	if columnSeparator == ';' {
		return "|"
	}

	return ";"
}

// bulkFile is a parsed patient file: one patient JSON object per patient
// and, for CSV, the header's columns that name no patient field.
type bulkFile struct {
	Patients       []json.RawMessage
	UnknownColumns []string
}

// csvListFields are the patient fields a CSV cell fills as a list.
var csvListFields = map[string]bool{"allergies": true, "medications": true, "currentMedications": true, "symptoms": true}

// parseBulkCSV reads a bulk send from a CSV body (text/csv, with ehrName
// and lang in the query) or a multipart form (file "file", fields ehrName,
// language and targetEndpoints). The header row names a field path per
// column, such as firstName, contact.email or answers.smoking.
func (a *App) parseBulkCSV(c echo.Context, mediaType string) (bulkRequest, error) {
	var errs ehr.FieldErrors
	req := bulkRequest{}
	var source io.Reader = c.Request().Body
	ehrName, requested, targets := c.QueryParam("ehrName"), "", c.QueryParam("targetEndpoints")

	if mediaType == echo.MIMEMultipartForm {
		file, err := c.FormFile("file")
		if err != nil {
			return bulkRequest{}, a.csvFormError(c, err)
		}
		opened, err := file.Open()
		if err != nil {
			return bulkRequest{}, internalError(fmt.Errorf("opening uploaded CSV: %w", err))
		}
		defer opened.Close()
		source = opened
		ehrName, requested, targets = c.FormValue("ehrName"), c.FormValue("language"), c.FormValue("targetEndpoints")
	}
	req.Language = a.setRequestLanguage(c, requested)
	req.EHRName = strings.TrimSpace(ehrName)
	if req.EHRName == "" {
		errs = append(errs, ehr.FieldError{Field: "ehrName", Code: "required"})
	}
	req.Targets = splitList(targets, ",")

	file, err := csvPatients(source)
	if err != nil {
		return bulkRequest{}, err
	}
	req.Patients = file.Patients
	req.FirstLine = 2

	return req, a.checkBulkSize(req, errs)
}

// csvFormError answers a multipart form without a readable file.
func (a *App) csvFormError(c echo.Context, err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}
	a.setRequestLanguage(c, c.FormValue("language"))

	return invalidFields(ehr.FieldErrors{{Field: "file", Code: "required"}})
}

// csvPatients turns each data row into a patient JSON object. The column
// separator is the one that splits the header line into the most known
// field paths.
func csvPatients(source io.Reader) (bulkFile, error) {
	buffered := bufio.NewReader(source)
	firstLine, err := buffered.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return bulkFile{}, csvReadError(err, 1)
	}
	firstLine = strings.TrimPrefix(firstLine, "\ufeff")
	separator := csvSeparator(firstLine)
	reader := csv.NewReader(io.MultiReader(strings.NewReader(firstLine), buffered))
	reader.Comma = separator
	// With tabs, trimming leading space would merge empty cells. Every
	// cell is trimmed when it is read anyway.
	reader.TrimLeadingSpace = separator != '\t'
	header, err := csvHeader(reader)
	if err != nil {
		return bulkFile{}, err
	}

	file := bulkFile{UnknownColumns: csvUnknownColumns(header)}
	for line := 2; ; line++ {
		row, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return file, nil
		}
		if err != nil {
			return bulkFile{}, csvReadError(err, line)
		}
		encoded, err := json.Marshal(csvRowObject(header, row, csvListSeparator(separator)))
		if err != nil {
			return bulkFile{}, internalError(fmt.Errorf("encoding CSV line %d: %w", line, err))
		}
		file.Patients = append(file.Patients, encoded)
	}
}

// csvHeader reads the header row, trimmed, and rejects a repeated column.
func csvHeader(reader *csv.Reader) ([]string, error) {
	header, err := reader.Read()
	if errors.Is(err, io.EOF) {
		return nil, newAPIError(http.StatusBadRequest, "csv_empty")
	}
	if err != nil {
		return nil, csvReadError(err, 1)
	}
	seen := make(map[string]bool, len(header))
	for i := range header {
		header[i] = csvHeaderCell(header[i])
		if header[i] != "" && seen[header[i]] {
			return nil, newAPIError(http.StatusBadRequest, "csv_duplicate_column", header[i])
		}
		seen[header[i]] = true
	}

	return header, nil
}

// csvReadError returns the error for a CSV file that cannot be read at line.
func csvReadError(err error, line int) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}

	return newAPIError(http.StatusBadRequest, "invalid_csv", line)
}

// csvHeaderCell is a header cell without spaces, quotes or a byte order
// mark.
func csvHeaderCell(cell string) string {
	return strings.Trim(strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff")), `"`)
}

// csvSeparator picks the separator that splits the header line into the
// most known field paths; a comma wins a tie.
func csvSeparator(headerLine string) rune {
	best, bestCount := csvSeparators[0], -1
	for _, separator := range csvSeparators {
		count := 0
		for _, cell := range strings.Split(headerLine, string(separator)) {
			if csvKnownColumn(csvHeaderCell(cell)) {
				count++
			}
		}
		if count > bestCount {
			best, bestCount = separator, count
		}
	}

	return best
}

// csvKnownColumn reports whether a header cell names a patient field.
func csvKnownColumn(path string) bool {
	return csvListFields[path] || ehr.IsKnownSource(path)
}

// csvUnknownColumns lists the header's non-empty columns that name no
// patient field.
func csvUnknownColumns(header []string) []string {
	var unknown []string
	for _, path := range header {
		if path != "" && !csvKnownColumn(path) {
			unknown = append(unknown, path)
		}
	}

	return unknown
}

// csvRowObject nests a row's cells under their dotted header paths. Empty
// cells are left out; age becomes a number when it is one, so validation
// reports anything else as a type error.
func csvRowObject(header, row []string, listSeparator string) map[string]any {
	object := map[string]any{}
	for i, path := range header {
		cell := strings.TrimSpace(row[i])
		if cell == "" || path == "" {
			continue
		}
		var value any = cell
		switch {
		case csvListFields[path]:
			value = splitList(cell, listSeparator)
		case path == "age":
			if n, err := strconv.Atoi(cell); err == nil {
				value = n
			}
		}
		setPath(object, strings.Split(path, "."), value)
	}

	return object
}

// setPath stores value at a nested path, creating objects on the way. A
// path that runs into a plain value keeps the first one; validation then
// reports the field as having the wrong type.
func setPath(object map[string]any, path []string, value any) {
	for _, key := range path[:len(path)-1] {
		child, ok := object[key].(map[string]any)
		if !ok {
			if _, taken := object[key]; taken {
				return
			}
			child = map[string]any{}
			object[key] = child
		}
		object = child
	}
	object[path[len(path)-1]] = value
}

// splitList splits a cell into trimmed, non-empty items.
func splitList(cell, separator string) []string {
	var items []string
	for _, item := range strings.Split(cell, separator) {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}

	return items
}
