package app

import (
	"maps"
	"slices"
	"strings"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// mappingDraft is a mapping as the editor form carries it between
// requests: every input as entered, so a draft with mistakes survives each
// round trip and nothing is kept on the server.
type mappingDraft struct {
	BaseVersion int
	Comment     string
	Endpoints   []endpointDraft
}

// endpointDraft is one endpoint of a draft.
type endpointDraft struct {
	Name              string
	Method            string
	Path              string
	Action            string
	Encoding          string
	IdentifiesPatient bool
	PatientIDPath     string
	Rules             []ruleDraft
}

// ruleDraft is one field rule of a draft. Source is the selected option,
// and views.MappingAnswerSource reads the answer named by AnswerKey. Param is
// the transform's parameter: the join separator, the template, the
// valueMap pairs ("male=M, female=F") or the date format.
type ruleDraft struct {
	Source    string
	AnswerKey string
	Target    string
	Transform string
	Param     string
}

// valuePairSeparator and valuePairJoiner write a valueMap as one line.
const (
	valuePairSeparator = ","
	valuePairJoiner    = "="
)

// draftFromMapping fills a draft with a stored mapping version.
func draftFromMapping(mapping ehr.Mapping) mappingDraft {
	draft := mappingDraft{BaseVersion: mapping.Version, Endpoints: make([]endpointDraft, len(mapping.Config.Endpoints))}
	for i, endpoint := range mapping.Config.Endpoints {
		draft.Endpoints[i] = endpointDraftFrom(endpoint)
	}

	return draft
}

func endpointDraftFrom(endpoint ehr.Endpoint) endpointDraft {
	draft := endpointDraft{
		Name: endpoint.Name, Method: endpoint.Method, Path: endpoint.Path, Action: endpoint.Action,
		Encoding: endpoint.Encoding, IdentifiesPatient: endpoint.IdentifiesPatient, PatientIDPath: endpoint.PatientIDPath,
		Rules: make([]ruleDraft, len(endpoint.Fields)),
	}
	for j, rule := range endpoint.Fields {
		draft.Rules[j] = ruleDraftFrom(rule)
	}

	return draft
}

func ruleDraftFrom(rule ehr.FieldRule) ruleDraft {
	draft := ruleDraft{Source: rule.Source, Target: rule.Target}
	if key, ok := strings.CutPrefix(rule.Source, ehr.AnswersPrefix); ok {
		draft.Source, draft.AnswerKey = views.MappingAnswerSource, key
	}
	if rule.Transform != nil {
		draft.Transform = rule.Transform.Type
		draft.Param = transformParam(rule.Transform)
	}

	return draft
}

// transformParam is the text of a transform's parameter in the editor.
func transformParam(transform *ehr.Transform) string {
	switch transform.Type {
	case ehr.TransformJoin:
		return transform.Separator
	case ehr.TransformTemplate:
		return transform.Template
	case ehr.TransformValueMap:
		pairs := make([]string, 0, len(transform.Values))
		for _, key := range slices.Sorted(maps.Keys(transform.Values)) {
			pairs = append(pairs, key+valuePairJoiner+transform.Values[key])
		}
		return strings.Join(pairs, valuePairSeparator+" ")
	case ehr.TransformDateFormat:
		return transform.Format
	default:
		return ""
	}
}

// newEndpointDraft is the endpoint the editor adds: one empty rule, so the
// table has a row to fill in.
func newEndpointDraft() endpointDraft {
	return endpointDraft{Method: "POST", Encoding: ehr.EncodingJSON, Rules: []ruleDraft{{}}}
}
