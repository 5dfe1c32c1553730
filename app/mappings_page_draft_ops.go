package app

import (
	"net/http"
	"strconv"
	"strings"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// Draft operations, written in the form's op field as "name", "name:E" or
// "name:E:R" with an endpoint and a rule index. Save stores the draft.
const (
	draftOpSave           = "save"
	draftOpPreview        = "preview"
	draftOpAddEndpoint    = "add-endpoint"
	draftOpRemoveEndpoint = "remove-endpoint"
	draftOpAddRule        = "add-rule"
	draftOpRemoveRule     = "remove-rule"
	draftOpRuleUp         = "up-rule"
	draftOpRuleDown       = "down-rule"
)

// apply changes the draft as op names and returns the id of the input or
// button to focus afterwards, empty for none. An unknown operation or an
// index outside the draft is a bad request.
func (d *mappingDraft) apply(op string) (focus string, err error) {
	name, rest, _ := strings.Cut(op, ":")
	indexes, ok := draftOpIndexes(rest)
	if !ok {
		return "", errBadDraftOp()
	}

	switch {
	case name == draftOpPreview && len(indexes) == 0:
		return "", nil
	case name == draftOpAddEndpoint && len(indexes) == 0:
		if len(d.Endpoints) >= ehr.MaxMappingEndpoints {
			return "", errBadDraftOp()
		}
		d.Endpoints = append(d.Endpoints, newEndpointDraft())
		return views.EndpointInputID(len(d.Endpoints)-1, "name"), nil
	case len(indexes) == 1:
		return d.applyToEndpoint(name, indexes[0])
	case len(indexes) == 2:
		return d.applyToRule(name, indexes[0], indexes[1])
	default:
		return "", errBadDraftOp()
	}
}

func (d *mappingDraft) applyToEndpoint(name string, endpoint int) (string, error) {
	if endpoint >= len(d.Endpoints) {
		return "", errBadDraftOp()
	}

	switch name {
	case draftOpRemoveEndpoint:
		d.Endpoints = append(d.Endpoints[:endpoint], d.Endpoints[endpoint+1:]...)
		return views.MappingOpButtonID(draftOpAddEndpoint), nil
	case draftOpAddRule:
		rules := len(d.Endpoints[endpoint].Rules)
		if rules >= ehr.MaxEndpointRules {
			return "", errBadDraftOp()
		}
		d.Endpoints[endpoint].Rules = append(d.Endpoints[endpoint].Rules, ruleDraft{})
		return views.RuleInputID(endpoint, rules, "source"), nil
	default:
		return "", errBadDraftOp()
	}
}

func (d *mappingDraft) applyToRule(name string, endpoint, rule int) (string, error) {
	if endpoint >= len(d.Endpoints) || rule >= len(d.Endpoints[endpoint].Rules) {
		return "", errBadDraftOp()
	}
	rules := d.Endpoints[endpoint].Rules

	switch {
	case name == draftOpRemoveRule:
		d.Endpoints[endpoint].Rules = append(rules[:rule], rules[rule+1:]...)
		if left := len(d.Endpoints[endpoint].Rules); left > 0 {
			return views.RuleInputID(endpoint, min(rule, left-1), "source"), nil
		}
		return views.MappingOpButtonID(draftOpAddRule + ":" + strconv.Itoa(endpoint)), nil
	case name == draftOpRuleUp && rule > 0:
		rules[rule-1], rules[rule] = rules[rule], rules[rule-1]
		return moveButtonID(endpoint, rule-1, len(rules)), nil
	case name == draftOpRuleDown && rule < len(rules)-1:
		rules[rule], rules[rule+1] = rules[rule+1], rules[rule]
		return moveButtonID(endpoint, rule+1, len(rules)), nil
	default:
		return "", errBadDraftOp()
	}
}

// moveButtonID is the button to focus on a rule that just moved to rule,
// so it can be moved again: its up button, or its down button when it is
// first and cannot move up.
func moveButtonID(endpoint, rule, count int) string {
	op := draftOpRuleUp
	if rule == 0 && count > 1 {
		op = draftOpRuleDown
	}

	return views.MappingOpButtonID(op + ":" + strconv.Itoa(endpoint) + ":" + strconv.Itoa(rule))
}

// draftOpIndexes reads the ":"-separated indexes after an operation name.
func draftOpIndexes(text string) ([]int, bool) {
	if text == "" {
		return nil, true
	}
	parts := strings.Split(text, ":")
	indexes := make([]int, len(parts))
	for i, part := range parts {
		index, err := strconv.Atoi(part)
		if err != nil || index < 0 {
			return nil, false
		}
		indexes[i] = index
	}

	return indexes, true
}

func errBadDraftOp() error {
	return newAPIError(http.StatusBadRequest, "bad_request")
}
