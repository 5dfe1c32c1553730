package app

import (
	"strconv"
	"strings"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// diffOrderLabel labels the row that shows a change in rule order.
const diffOrderLabel = "fields order"

// endpointSetting is one setting of an endpoint as text, for the diff.
type endpointSetting struct {
	name  string
	value func(ehr.Endpoint) string
}

// endpointSettings are the settings a diff compares, in editor order.
var endpointSettings = []endpointSetting{
	{"method", func(e ehr.Endpoint) string { return e.Method }},
	{"path", func(e ehr.Endpoint) string { return e.Path }},
	{"action", func(e ehr.Endpoint) string { return e.Action }},
	{"encoding", func(e ehr.Endpoint) string { return e.Encoding }},
	{"identifiesPatient", func(e ehr.Endpoint) string { return strconv.FormatBool(e.IdentifiesPatient) }},
	{"patientIdPath", func(e ehr.Endpoint) string { return e.PatientIDPath }},
}

// diffMappings compares two mapping configs endpoint by endpoint, matched
// by name, and within an endpoint rule by rule, matched by target field:
// the endpoints of to in order, then those only from has.
func diffMappings(from, to ehr.Config) []views.MappingEndpointDiff {
	out := make([]views.MappingEndpointDiff, 0, len(to.Endpoints))
	for _, newer := range to.Endpoints {
		older, ok := from.EndpointNamed(newer.Name)
		if !ok {
			older = ehr.Endpoint{}
		}
		out = append(out, diffEndpoint(newer.Name, older, newer, ok, true))
	}
	for _, older := range from.Endpoints {
		if _, ok := to.EndpointNamed(older.Name); !ok {
			out = append(out, diffEndpoint(older.Name, older, ehr.Endpoint{}, true, false))
		}
	}

	return out
}

// diffEndpoint compares one endpoint's two sides; inFrom and inTo tell
// which versions have it. An unchanged endpoint has no rows.
func diffEndpoint(name string, older, newer ehr.Endpoint, inFrom, inTo bool) views.MappingEndpointDiff {
	var rows []views.MappingDiffRow
	for _, setting := range endpointSettings {
		oldValue, newValue := "", ""
		if inFrom {
			oldValue = setting.value(older)
		}
		if inTo {
			newValue = setting.value(newer)
		}
		if oldValue != newValue {
			rows = append(rows, diffRow(setting.name, oldValue, newValue))
		}
	}
	rows = append(rows, diffRules(older.Fields, newer.Fields)...)

	diff := views.MappingEndpointDiff{Name: name, Change: views.DiffSame}
	switch {
	case !inFrom:
		diff.Change = views.DiffAdded
	case !inTo:
		diff.Change = views.DiffRemoved
	case hasChangedRow(rows):
		diff.Change = views.DiffChanged
	}
	if diff.Change != views.DiffSame {
		diff.Rows = rows
	}

	return diff
}

// diffRules compares rules by target: the rules of newer in order, then
// those only older has, and a row for a change in the order of the rules
// both have.
func diffRules(older, newer []ehr.FieldRule) []views.MappingDiffRow {
	olderText := make(map[string]string, len(older))
	for _, rule := range older {
		olderText[rule.Target] = ruleText(rule)
	}
	newerTargets := make(map[string]bool, len(newer))
	var rows []views.MappingDiffRow
	var newerOrder, olderOrder []string
	for _, rule := range newer {
		newerTargets[rule.Target] = true
		rows = append(rows, diffRow(rule.Target, olderText[rule.Target], ruleText(rule)))
		if _, shared := olderText[rule.Target]; shared {
			newerOrder = append(newerOrder, rule.Target)
		}
	}
	for _, rule := range older {
		if !newerTargets[rule.Target] {
			rows = append(rows, diffRow(rule.Target, olderText[rule.Target], ""))
			continue
		}
		olderOrder = append(olderOrder, rule.Target)
	}
	if oldOrder, newOrder := strings.Join(olderOrder, ", "), strings.Join(newerOrder, ", "); oldOrder != newOrder {
		rows = append(rows, diffRow(diffOrderLabel, oldOrder, newOrder))
	}

	return rows
}

// diffRow is one row of a diff; an empty side means the row is missing
// there.
func diffRow(label, before, after string) views.MappingDiffRow {
	row := views.MappingDiffRow{Label: label, Old: before, New: after, Change: views.DiffChanged}
	switch {
	case before == after:
		row.Change = views.DiffSame
	case before == "":
		row.Change = views.DiffAdded
	case after == "":
		row.Change = views.DiffRemoved
	}

	return row
}

func hasChangedRow(rows []views.MappingDiffRow) bool {
	for _, row := range rows {
		if row.Change != views.DiffSame {
			return true
		}
	}

	return false
}

// ruleText writes a rule without its target: the source, and the
// transform with its parameter when there is one.
func ruleText(rule ehr.FieldRule) string {
	text := rule.Source
	if rule.Transform == nil {
		return text
	}
	text += " · " + rule.Transform.Type
	if param := transformParam(rule.Transform); param != "" {
		text += ": " + param
	}

	return text
}
