package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// Form names of the editor's fields outside the endpoints.
const (
	draftFieldBaseVersion = "baseVersion"
	draftFieldComment     = "comment"
	draftFieldEndpoints   = "endpoints"
	draftFieldOperation   = "op"
)

// parseMappingDraft reads a draft from the editor form. The endpoint and
// rule counts bound how many fields are read. A count more than one above
// the mapping's limits is a bad request, because the editor never sends it.
func parseMappingDraft(form url.Values) (mappingDraft, error) {
	endpoints, err := draftCount(form, draftFieldEndpoints, ehr.MaxMappingEndpoints+1)
	if err != nil {
		return mappingDraft{}, err
	}
	baseVersion, _ := strconv.Atoi(form.Get(draftFieldBaseVersion))
	draft := mappingDraft{
		BaseVersion: baseVersion,
		Comment:     strings.TrimSpace(form.Get(draftFieldComment)),
		Endpoints:   make([]endpointDraft, endpoints),
	}
	for i := range endpoints {
		if draft.Endpoints[i], err = parseEndpointDraft(form, i); err != nil {
			return mappingDraft{}, err
		}
	}

	return draft, nil
}

func parseEndpointDraft(form url.Values, i int) (endpointDraft, error) {
	setting := func(name string) string { return strings.TrimSpace(form.Get(views.EndpointFieldName(i, name))) }
	rules, err := draftCount(form, views.EndpointFieldName(i, "rules"), ehr.MaxEndpointRules+1)
	if err != nil {
		return endpointDraft{}, err
	}

	endpoint := endpointDraft{
		Name: setting("name"), Method: setting("method"), Path: setting("path"), Action: setting("action"),
		Encoding: setting("encoding"), IdentifiesPatient: setting("identifies") != "",
		PatientIDPath: setting("patientIdPath"), Rules: make([]ruleDraft, rules),
	}
	for j := range rules {
		input := func(name string) string { return form.Get(views.RuleFieldName(i, j, name)) }
		endpoint.Rules[j] = ruleDraft{
			Source: strings.TrimSpace(input("source")), AnswerKey: strings.TrimSpace(input("answerKey")),
			Target: strings.TrimSpace(input("target")), Transform: strings.TrimSpace(input("transform")),
			Param: input("param"),
		}
	}

	return endpoint, nil
}

// draftCount reads a count field. A missing field is 0, and anything but a
// number from 0 to maximum is a bad request.
func draftCount(form url.Values, name string, maximum int) (int, error) {
	raw := form.Get(name)
	if raw == "" {
		return 0, nil
	}
	count, err := strconv.Atoi(raw)
	if err != nil || count < 0 || count > maximum {
		return 0, newAPIError(http.StatusBadRequest, "bad_request")
	}

	return count, nil
}
