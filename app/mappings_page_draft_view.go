package app

import (
	"regexp"
	"strconv"

	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// draftErrorPath splits a mapping error's field path into the endpoint
// index, the rule index and the rest, as in "endpoints[1].fields[2].target".
var draftErrorPath = regexp.MustCompile(`^endpoints\[(\d+)\](?:\.fields\[(\d+)\])?(?:\.(.+))?$`)

// Element ids of the editor's inputs outside the endpoints.
const (
	draftEditorID  = "mapping-editor"
	draftCommentID = "mapping-comment"
)

// draftErrorPlace is the location in the editor of one draft error.
type draftErrorPlace struct {
	// endpoint and rule are indexes in the draft, -1 when the error is not
	// on one.
	endpoint int
	rule     int
	// input is the setting or rule input the error is shown under.
	input string
	// part is the error path below the endpoint or rule, for its label.
	part string
}

// locateDraftError finds the input an error of draft belongs to.
func locateDraftError(field string, draft mappingDraft) draftErrorPlace {
	none := draftErrorPlace{endpoint: -1, rule: -1}
	if field == draftCommentField {
		none.input = draftCommentField
		return none
	}
	match := draftErrorPath.FindStringSubmatch(field)
	if match == nil {
		return none
	}
	endpoint, _ := strconv.Atoi(match[1])
	if endpoint >= len(draft.Endpoints) {
		return none
	}
	place := draftErrorPlace{endpoint: endpoint, rule: -1, part: match[3]}
	if match[2] == "" {
		place.input = endpointErrorInput(place.part)
		return place
	}

	rule, _ := strconv.Atoi(match[2])
	if rule >= len(draft.Endpoints[endpoint].Rules) {
		place.input = "rules"
		return place
	}
	place.rule = rule
	place.input = ruleErrorInput(place.part, draft.Endpoints[endpoint].Rules[rule])

	return place
}

// endpointErrorInput names the endpoint setting an error path part is on.
func endpointErrorInput(part string) string {
	switch part {
	case "method", "path", "action", "encoding", "patientIdPath":
		return part
	case "identifiesPatient":
		return "identifies"
	case "fields":
		return "rules"
	default:
		return "name"
	}
}

// ruleErrorInput names the rule input an error path part is on. A broken
// answer source is shown at the answer key the user typed.
func ruleErrorInput(part string, rule ruleDraft) string {
	switch part {
	case "source":
		if rule.source() != rule.Source {
			return "answerKey"
		}
		return "source"
	case "target":
		return "target"
	case "transform", "transform.type":
		return "transform"
	case "transform.separator", "transform.template", "transform.values", "transform.format":
		return "param"
	default:
		return "source"
	}
}

// inputID is the element id of the input the error belongs to.
func (p draftErrorPlace) inputID() string {
	switch {
	case p.input == draftCommentField:
		return draftCommentID
	case p.endpoint < 0:
		return draftEditorID
	case p.rule < 0:
		return views.EndpointInputID(p.endpoint, p.input)
	default:
		return views.RuleInputID(p.endpoint, p.rule, p.input)
	}
}

// draftPlaceLabel names the place of an error in words, for its message,
// with the labels the editor shows for its inputs.
func (a *App) draftPlaceLabel(tag language.Tag, draft mappingDraft, p draftErrorPlace) string {
	switch {
	case p.input == draftCommentField:
		return a.Catalog.Text(tag, "page.mappings.comment_label")
	case p.endpoint < 0:
		return a.Catalog.Text(tag, "page.mappings.place_mapping")
	}
	endpoint := draft.Endpoints[p.endpoint].Name
	if endpoint == "" {
		endpoint = "#" + strconv.Itoa(p.endpoint+1)
	}
	if p.rule < 0 {
		return a.Catalog.Text(tag, "page.mappings.place_endpoint", endpoint, a.Catalog.Text(tag, endpointInputLabels[p.input]))
	}

	return a.Catalog.Text(tag, "page.mappings.place_rule", endpoint, p.rule+1, a.Catalog.Text(tag, ruleInputLabels[p.input]))
}

// endpointInputLabels are the locale keys of the labels of an endpoint's
// inputs, by the input names of endpointErrorInput.
var endpointInputLabels = map[string]string{
	"name": "page.mappings.endpoint_name", "method": "page.mappings.endpoint_method",
	"path": "page.mappings.endpoint_path", "action": "page.mappings.endpoint_action",
	"encoding": "page.mappings.endpoint_encoding", "patientIdPath": "page.mappings.endpoint_patient_id_path",
	"identifies": "page.mappings.part_identifies", "rules": "page.mappings.part_rules",
}

// ruleInputLabels are the locale keys of the column labels of a rule's
// inputs, by the input names of ruleErrorInput.
var ruleInputLabels = map[string]string{
	"source": "page.mappings.col_source", "answerKey": "page.mappings.col_answer_key",
	"target": "page.mappings.col_target", "transform": "page.mappings.col_transform",
	"param": "page.mappings.col_param",
}

// draftErrorLinks translates every error of draft, naming where it is.
func (a *App) draftErrorLinks(tag language.Tag, draft mappingDraft, errs ehr.FieldErrors) ([]views.MappingErrorLink, []draftErrorPlace) {
	links := make([]views.MappingErrorLink, len(errs))
	places := make([]draftErrorPlace, len(errs))
	for i, fe := range errs {
		places[i] = locateDraftError(fe.Field, draft)
		named := ehr.FieldError{Field: a.draftPlaceLabel(tag, draft, places[i]), Code: fe.Code, Args: fe.Args}
		links[i] = views.MappingErrorLink{InputID: places[i].inputID(), Text: a.Catalog.FieldMessage(tag, named)}
	}

	return links, places
}

// mappingEditorView turns a draft and its errors into the editor's view,
// each error translated and shown under its input.
func (a *App) mappingEditorView(tag language.Tag, ehrName string, draft mappingDraft, errs ehr.FieldErrors) views.MappingEditor {
	editor := views.MappingEditor{
		EHRName: ehrName, Sources: ehr.SourceFields(), Endpoints: make([]views.MappingEndpointDraft, len(draft.Endpoints)),
	}
	for i, endpoint := range draft.Endpoints {
		editor.Endpoints[i] = endpointDraftView(i, endpoint)
	}

	links, places := a.draftErrorLinks(tag, draft, errs)
	editor.Summary = links
	for i, place := range places {
		switch {
		case place.endpoint < 0:
		case place.rule < 0:
			setOnce(editor.Endpoints[place.endpoint].Errors, place.input, links[i].Text)
		default:
			setOnce(editor.Endpoints[place.endpoint].Rules[place.rule].Errors, place.input, links[i].Text)
		}
	}

	return editor
}

func endpointDraftView(index int, endpoint endpointDraft) views.MappingEndpointDraft {
	view := views.MappingEndpointDraft{
		Index: index, Name: endpoint.Name, Method: endpoint.Method, Path: endpoint.Path, Action: endpoint.Action,
		Encoding: endpoint.Encoding, IdentifiesPatient: endpoint.IdentifiesPatient, PatientIDPath: endpoint.PatientIDPath,
		Rules: make([]views.MappingRuleDraft, len(endpoint.Rules)), Errors: map[string]string{},
	}
	for j, rule := range endpoint.Rules {
		view.Rules[j] = views.MappingRuleDraft{
			Index: j, Source: rule.Source, AnswerKey: rule.AnswerKey, Target: rule.Target,
			Transform: rule.Transform, Param: rule.Param, Errors: map[string]string{},
		}
	}

	return view
}

// setOnce keeps the first error of an input.
func setOnce(errors map[string]string, key, text string) {
	if _, taken := errors[key]; !taken {
		errors[key] = text
	}
}

// commentError returns the translated error of the comment, if any.
func commentError(links []views.MappingErrorLink) string {
	for _, link := range links {
		if link.InputID == draftCommentID {
			return link.Text
		}
	}

	return ""
}
