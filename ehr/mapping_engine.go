package ehr

import "strings"

// Apply renders the endpoint's rules for one patient, in rule order. A rule
// whose source has no value, or whose rendered value is blank, is left out.
// A nil patient gets no fields. Rules that Validate would reject still
// render without panicking: a malformed template up to its first bad brace,
// and a transform of an unknown type as the unchanged value.
func (e Endpoint) Apply(p *Patient) []MappedField {
	if p == nil {
		return nil
	}

	var fields []MappedField
	for _, rule := range e.Fields {
		value, ok := rule.renderedValue(p)
		if !ok {
			continue
		}
		if fields == nil {
			fields = make([]MappedField, 0, len(e.Fields))
		}
		fields = append(fields, MappedField{Target: rule.Target, Value: value})
	}

	return fields
}

// HasValues reports whether Apply would return at least one field for p.
func (e Endpoint) HasValues(p *Patient) bool {
	if p == nil {
		return false
	}
	for _, rule := range e.Fields {
		if _, ok := rule.renderedValue(p); ok {
			return true
		}
	}

	return false
}

// renderedValue returns the value the rule sends for p, and false when the
// rule is left out.
//
// A template rule is rendered when any of its placeholders has a value. The
// rule's own source does not feed the text; it decides presence only for a
// template without placeholders. Every other rule reads its source, renders
// it as text (lists joined by the join separator or ", ") and then applies a
// valueMap or dateFormat transform.
func (rule FieldRule) renderedValue(p *Patient) (string, bool) {
	transform := rule.Transform
	if transform != nil && transform.Type == TransformTemplate {
		return rule.renderedTemplate(p)
	}

	raw, ok := p.Lookup(rule.Source)
	if !ok {
		return "", false
	}
	value := sourceText(raw, joinSeparator(transform))

	if transform != nil {
		switch transform.Type {
		case TransformValueMap:
			value = mapValue(transform.Values, value)
		case TransformDateFormat:
			value, _ = formatDate(value, transform.Format)
		}
	}

	return value, strings.TrimSpace(value) != ""
}

func (rule FieldRule) renderedTemplate(p *Patient) (string, bool) {
	text, placeholders, anyValue := renderTemplate(rule.Transform.Template, p)
	if placeholders == 0 {
		_, anyValue = p.Lookup(rule.Source)
	}
	if !anyValue || text == "" {
		return "", false
	}

	return text, true
}
