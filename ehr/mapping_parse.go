package ehr

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Codes ParseMappingConfig reports.
const (
	mappingCodeInvalidJSON     = "invalid_json"
	mappingCodeEmpty           = "mapping_empty"
	mappingCodeMustBeObject    = "must_be_object"
	mappingCodeMustBeList      = "must_be_list"
	mappingCodeMustBeString    = "must_be_string"
	mappingCodeMustBeBoolean   = "must_be_boolean"
	mappingCodeUnknownField    = "unknown_field"
	mappingCodeUnknownEndpoint = "unknown_endpoint"
)

// SimpleFormPatientKey is the simple-form key that names the EHR family's
// patient endpoint.
const SimpleFormPatientKey = "patient"

// fullFormKey is the only top-level key of the full mapping form.
const fullFormKey = "endpoints"

// maxMappingKeyInPath is how many characters of a JSON key an error's field
// path repeats; a longer key is cut and ends in "…".
const maxMappingKeyInPath = 64

// ParseMappingConfig decodes a mapping config and normalizes it. It does not
// validate it: call Config.Validate on the result.
//
// raw is either the full form {"endpoints": [...]} or the simple form, an
// object of endpoint name to an object of source path to target field, as in
// {"patient": {"contact.email": "PATIENT_EMAIL_ID"}}. In the simple form the
// key "patient" becomes a copy of patientEndpoint (named "patient" when
// patientEndpoint has no name), and any other key takes the settings of the
// endpoint of that name in current, which may be nil. Endpoints and rules
// keep the order of the JSON keys. An object whose "endpoints" value is an
// object is read in the simple form, as an endpoint named "endpoints".
//
// Field paths in the errors are relative to the mapping config, and the
// config itself is the empty path "". On any error the returned Config is
// empty.
func ParseMappingConfig(raw json.RawMessage, patientEndpoint Endpoint, current *Config) (Config, FieldErrors) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return Config{}, FieldErrors{{Field: "", Code: mappingCodeEmpty}}
	}
	root, err := readMappingJSON(raw)
	if err != nil {
		return Config{}, FieldErrors{{Field: "", Code: mappingCodeInvalidJSON}}
	}

	var parser mappingParser
	var cfg Config
	switch {
	case root.kind == mappingNull:
		parser.fail("", mappingCodeEmpty)
	case root.kind != mappingObject:
		parser.fail("", mappingCodeMustBeObject)
	case len(root.members) == 0:
		parser.fail("", mappingCodeEmpty)
	case isFullMappingForm(root):
		cfg = parser.fullForm(root)
	default:
		cfg = parser.simpleForm(root, patientEndpoint, current)
	}

	if len(parser.errs) > 0 {
		return Config{}, parser.errs
	}
	cfg.Normalize()

	return cfg, nil
}

// isFullMappingForm reports whether root has an "endpoints" key whose value
// is not an object.
func isFullMappingForm(root mappingNode) bool {
	for _, member := range root.members {
		if member.key == fullFormKey {
			return member.value.kind != mappingObject
		}
	}

	return false
}

// mappingParser turns a decoded JSON tree into a Config, collecting an error
// for every member of the wrong type or with an unknown key.
type mappingParser struct {
	errs FieldErrors
}

func (ps *mappingParser) fail(field, code string) {
	ps.errs = append(ps.errs, FieldError{Field: field, Code: code})
}

func (ps *mappingParser) fullForm(root mappingNode) Config {
	var cfg Config
	for _, member := range root.members {
		if member.key != fullFormKey {
			ps.fail(mappingKeyPath("", member.key), mappingCodeUnknownField)
			continue
		}

		items := ps.list(member.value, fullFormKey)
		cfg.Endpoints = make([]Endpoint, 0, len(items))
		for i, item := range items {
			cfg.Endpoints = append(cfg.Endpoints, ps.endpoint(item, mappingIndexPath(fullFormKey, i)))
		}
	}

	return cfg
}

func (ps *mappingParser) endpoint(node mappingNode, at string) Endpoint {
	var endpoint Endpoint
	for _, member := range ps.object(node, at) {
		memberAt := mappingKeyPath(at, member.key)
		switch member.key {
		case "name":
			endpoint.Name = ps.text(member.value, memberAt)
		case "method":
			endpoint.Method = ps.text(member.value, memberAt)
		case "path":
			endpoint.Path = ps.text(member.value, memberAt)
		case "action":
			endpoint.Action = ps.text(member.value, memberAt)
		case "encoding":
			endpoint.Encoding = ps.text(member.value, memberAt)
		case "identifiesPatient":
			endpoint.IdentifiesPatient = ps.flag(member.value, memberAt)
		case "patientIdPath":
			endpoint.PatientIDPath = ps.text(member.value, memberAt)
		case "fields":
			endpoint.Fields = ps.rules(member.value, memberAt)
		default:
			ps.fail(memberAt, mappingCodeUnknownField)
		}
	}

	return endpoint
}

func (ps *mappingParser) rules(node mappingNode, at string) []FieldRule {
	items := ps.list(node, at)
	if items == nil {
		return nil
	}

	rules := make([]FieldRule, 0, len(items))
	for j, item := range items {
		rules = append(rules, ps.rule(item, mappingIndexPath(at, j)))
	}

	return rules
}

func (ps *mappingParser) rule(node mappingNode, at string) FieldRule {
	var rule FieldRule
	for _, member := range ps.object(node, at) {
		memberAt := mappingKeyPath(at, member.key)
		switch member.key {
		case "source":
			rule.Source = ps.text(member.value, memberAt)
		case "target":
			rule.Target = ps.text(member.value, memberAt)
		case "transform":
			rule.Transform = ps.transform(member.value, memberAt)
		default:
			ps.fail(memberAt, mappingCodeUnknownField)
		}
	}

	return rule
}

func (ps *mappingParser) transform(node mappingNode, at string) *Transform {
	if node.kind == mappingNull {
		return nil
	}

	transform := &Transform{}
	for _, member := range ps.object(node, at) {
		memberAt := mappingKeyPath(at, member.key)
		switch member.key {
		case "type":
			transform.Type = ps.text(member.value, memberAt)
		case "separator":
			transform.Separator = ps.text(member.value, memberAt)
		case "template":
			transform.Template = ps.text(member.value, memberAt)
		case "values":
			transform.Values = ps.textMap(member.value, memberAt)
		case "format":
			transform.Format = ps.text(member.value, memberAt)
		default:
			ps.fail(memberAt, mappingCodeUnknownField)
		}
	}

	return transform
}

func (ps *mappingParser) textMap(node mappingNode, at string) map[string]string {
	if node.kind == mappingNull {
		return nil
	}

	members := ps.object(node, at)
	values := make(map[string]string, len(members))
	for _, member := range members {
		values[member.key] = ps.requiredText(member.value, mappingKeyPath(at, member.key))
	}

	return values
}

// simpleForm reads {"endpointName": {"sourcePath": "TARGET", ...}, ...}.
func (ps *mappingParser) simpleForm(root mappingNode, patientEndpoint Endpoint, current *Config) Config {
	cfg := Config{Endpoints: make([]Endpoint, 0, len(root.members))}
	for _, member := range root.members {
		at := mappingKeyPath("", member.key)
		endpoint, ok := simpleFormEndpoint(member.key, patientEndpoint, current)
		if !ok {
			ps.fail(at, mappingCodeUnknownEndpoint)
			continue
		}

		targets := ps.object(member.value, at)
		endpoint.Fields = make([]FieldRule, 0, len(targets))
		for _, target := range targets {
			endpoint.Fields = append(endpoint.Fields, FieldRule{
				Source: target.key,
				Target: ps.requiredText(target.value, mappingKeyPath(at, target.key)),
			})
		}
		cfg.Endpoints = append(cfg.Endpoints, endpoint)
	}

	return cfg
}

// simpleFormEndpoint returns the settings of the endpoint that a simple-form
// key names, with no rules.
func simpleFormEndpoint(key string, patientEndpoint Endpoint, current *Config) (Endpoint, bool) {
	if key == SimpleFormPatientKey {
		endpoint := patientEndpoint
		if endpoint.Name == "" {
			endpoint.Name = SimpleFormPatientKey
		}
		endpoint.Fields = nil
		return endpoint, true
	}
	if current == nil {
		return Endpoint{}, false
	}

	endpoint, ok := current.EndpointNamed(key)
	endpoint.Fields = nil

	return endpoint, ok
}

// mappingKeyPath appends a JSON key to a field path, cutting a key longer
// than maxMappingKeyInPath characters.
func mappingKeyPath(prefix, key string) string {
	if utf8.RuneCountInString(key) > maxMappingKeyInPath {
		key = string([]rune(key)[:maxMappingKeyInPath]) + "…"
	}
	if prefix == "" {
		return key
	}

	return prefix + "." + key
}

// object returns the members of an object node. Any other node, null
// included, is a must_be_object error.
func (ps *mappingParser) object(node mappingNode, at string) []mappingMember {
	if node.kind != mappingObject {
		ps.fail(at, mappingCodeMustBeObject)
		return nil
	}

	return node.members
}

// list returns the items of a list node, or nil for null.
func (ps *mappingParser) list(node mappingNode, at string) []mappingNode {
	switch node.kind {
	case mappingList:
		return node.items
	case mappingNull:
		return nil
	default:
		ps.fail(at, mappingCodeMustBeList)
		return nil
	}
}

// text returns a string node's value, or "" for null.
func (ps *mappingParser) text(node mappingNode, at string) string {
	if node.kind == mappingNull {
		return ""
	}

	return ps.requiredText(node, at)
}

// requiredText returns a string node's value. Null is a must_be_string error
// here, because the value is the whole point of the member.
func (ps *mappingParser) requiredText(node mappingNode, at string) string {
	if node.kind != mappingString {
		ps.fail(at, mappingCodeMustBeString)
		return ""
	}

	return node.text
}

// flag returns a boolean node's value, or false for null.
func (ps *mappingParser) flag(node mappingNode, at string) bool {
	switch node.kind {
	case mappingBool:
		return node.boolean
	case mappingNull:
		return false
	default:
		ps.fail(at, mappingCodeMustBeBoolean)
		return false
	}
}
