package app

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// sendCodePatientIDRequired is the error code of endpoints that need the
// EHR patient id, whose API message names identifiers.ehrPatientId.
const sendCodePatientIDRequired = "patient_id_required"

// sendFormOrder lists the send form's parts from top to bottom, as the
// field path each error of that part starts with.
var sendFormOrder = []string{
	"firstName", "lastName", "age", "gender", "dateOfBirth", "contact",
	"allergies", "medications", "symptoms", "medicalHistory", "socialHistory", "familyHistory",
	"bloodType", "maritalStatus", "emergencyContact", "insuranceProvider", "insurancePolicyNumber",
	"primaryCarePhysician", "identifiers", "ehrName", "targetEndpoints", "patientData",
}

// sendFormPosition is the place in sendFormOrder of the part a field path
// belongs to; unknown paths go last.
func sendFormPosition(path string) int {
	for i, part := range sendFormOrder {
		if path == part || strings.HasPrefix(path, part+".") || strings.HasPrefix(path, part+"[") {
			return i
		}
	}

	return len(sendFormOrder)
}

// sendFormErrors renders field errors in the page's language, naming each
// field by its label. It returns the first message of each input by the
// input's id, and every message in form order for the summary.
func (a *App) sendFormErrors(tag language.Tag, errs ehr.FieldErrors) (map[string]string, []views.SendFormError) {
	sorted := slices.Clone(errs)
	slices.SortStableFunc(sorted, func(x, y ehr.FieldError) int {
		return sendFormPosition(x.Field) - sendFormPosition(y.Field)
	})

	byInput := map[string]string{}
	summary := make([]views.SendFormError, 0, len(sorted))
	for _, fe := range sorted {
		anchor, label := a.sendErrorTarget(tag, fe.Field)
		fe.Field = a.Catalog.Text(tag, "page.send.error_field", label)
		message := a.sendFieldMessage(tag, fe)
		if _, taken := byInput[anchor]; !taken {
			byInput[anchor] = message
		}
		summary = append(summary, views.SendFormError{Anchor: anchor, Message: message})
	}

	return byInput, summary
}

// sendFieldMessage renders one field error whose Field is already a label.
// A message that would name another field by its path names it by its
// label instead.
func (a *App) sendFieldMessage(tag language.Tag, fe ehr.FieldError) string {
	if fe.Code == sendCodePatientIDRequired {
		return a.Catalog.Text(tag, "page.send.patient_id_required", fe.Field, a.Catalog.Text(tag, "page.send.ehr_patient_id"))
	}

	return a.Catalog.FieldMessage(tag, fe)
}

// sendErrorTarget finds the input a field path belongs to: its element id
// and its translated label.
func (a *App) sendErrorTarget(tag language.Tag, path string) (anchor, label string) {
	text := func(key string, args ...any) string { return a.Catalog.Text(tag, key, args...) }
	path = strings.TrimPrefix(path, "patientData.")
	if key := views.SendLabelKey(path); key != "" {
		return views.SendInputID(path), text(key)
	}
	if list, index, ok := sendListItem(path); ok {
		return views.SendListRowID(list.Path, index), text("page.send.list_item", text(list.ItemKey), index+1)
	}
	if list, ok := views.SendListFieldFor(path); ok {
		return list.Path, text(list.LegendKey)
	}

	switch {
	case path == "ehrName":
		return views.SendEHRInputID, text("page.send.ehr")
	case strings.HasPrefix(path, "targetEndpoints"):
		return views.SendEndpointsID, text("page.send.endpoints")
	case path == "emergencyContact":
		return views.SendInputID("emergencyContact.name"), text("page.send.section_emergency")
	default:
		return views.SendFormID, text("page.send.patient_data")
	}
}

// sendListItem reads a path such as "allergies[2]" as a repeatable input
// and a row index.
func sendListItem(path string) (views.SendListField, int, bool) {
	name, rest, found := strings.Cut(path, "[")
	if !found || !strings.HasSuffix(rest, "]") {
		return views.SendListField{}, 0, false
	}
	list, ok := views.SendListFieldFor(name)
	index, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if !ok || err != nil || index < 0 {
		return views.SendListField{}, 0, false
	}

	return list, index, true
}
