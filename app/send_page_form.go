package app

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ehrbridge/views"
)

// sendFormInput is the posted send form, with surrounding spaces and blank
// rows removed.
type sendFormInput struct {
	// values holds each non-blank single-value input by field path.
	values map[string]string
	// lists holds the non-blank rows of each repeatable input.
	lists   map[string][]string
	ehrName string
	targets []string
	mode    string
}

// readSendForm reads the posted form fields of the send form.
func readSendForm(form url.Values) sendFormInput {
	input := sendFormInput{
		values:  map[string]string{},
		lists:   map[string][]string{},
		ehrName: strings.TrimSpace(form.Get("ehrName")),
		targets: sendNonBlank(form["targetEndpoints"]),
		mode:    ModeSync,
	}
	for _, field := range views.SendScalarFields {
		if value := strings.TrimSpace(form.Get(field.Path)); value != "" {
			input.values[field.Path] = value
		}
	}
	for _, list := range views.SendListFields {
		input.lists[list.Path] = sendNonBlank(form[list.Path])
	}
	if form.Get("mode") == ModeAsync {
		input.mode = ModeAsync
	}

	return input
}

// sendNonBlank returns the trimmed items that are not blank.
func sendNonBlank(items []string) []string {
	var out []string
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}

	return out
}

// patientJSON builds the patient object the API would receive: empty
// fields left out, the repeatable inputs as lists, and the age as a
// number when it is one (anything else stays text, which validation then
// reports).
func (input sendFormInput) patientJSON() (json.RawMessage, error) {
	object := map[string]any{}
	for _, field := range views.SendScalarFields {
		value, given := input.values[field.Path]
		if !given {
			continue
		}
		var typed any = value
		if field.Path == "age" {
			if number, err := strconv.Atoi(value); err == nil {
				typed = number
			}
		}
		setPath(object, strings.Split(field.Path, "."), typed)
	}
	for path, items := range input.lists {
		if len(items) > 0 {
			object[path] = items
		}
	}

	return json.Marshal(object)
}

// viewForm is the form's view with the posted values; each repeatable
// input shows its rows and at least sendEmptyRows rows in all.
func (input sendFormInput) viewForm() views.SendForm {
	lists := make(map[string][]string, len(views.SendListFields))
	for _, list := range views.SendListFields {
		rows := slices.Clone(input.lists[list.Path])
		for len(rows) < sendEmptyRows {
			rows = append(rows, "")
		}
		lists[list.Path] = rows
	}

	return views.SendForm{Values: input.values, Lists: lists, EHRName: input.ehrName, Mode: input.mode}
}
