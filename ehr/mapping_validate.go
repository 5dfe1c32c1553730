package ehr

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Limits on the size of a mapping config.
const (
	MaxMappingEndpoints = 50
	MaxEndpointRules    = 200
)

// Codes Config.Validate reports.
const (
	mappingCodeNoEndpoints            = "mapping_no_endpoints"
	mappingCodeTooManyItems           = "too_many_items"
	mappingCodeEndpointNameRequired   = "endpoint_name_required"
	mappingCodeEndpointNameInvalid    = "endpoint_name_invalid"
	mappingCodeEndpointNameDuplicate  = "endpoint_name_duplicate"
	mappingCodeEndpointNoFields       = "endpoint_no_fields"
	mappingCodeEndpointMethodInvalid  = "endpoint_method_invalid"
	mappingCodeEndpointTargetRequired = "endpoint_target_required"
	mappingCodeEndpointPathInvalid    = "endpoint_path_invalid"
	mappingCodeEndpointEncoding       = "endpoint_encoding_invalid"
	mappingCodeIdentityMultiple       = "identity_endpoint_multiple"
	mappingCodeIdentityUsesPatientID  = "identity_endpoint_uses_patient_id"
	mappingCodePatientIDUnavailable   = "patient_id_unavailable"
	mappingCodePatientIDPathInvalid   = "patient_id_path_invalid"
	mappingCodeSourceRequired         = "source_required"
	mappingCodeSourceUnknown          = "source_unknown"
	mappingCodeTargetRequired         = "target_required"
	mappingCodeTargetInvalid          = "target_invalid"
	mappingCodeTargetDuplicate        = "target_duplicate"
	mappingCodeTransformUnknown       = "transform_unknown"
	mappingCodeTemplateInvalid        = "template_invalid"
	mappingCodeValueMapEmpty          = "value_map_empty"
	mappingCodeValueMapDuplicate      = "value_map_duplicate"
	mappingCodeDateFormatInvalid      = "date_format_invalid"
	mappingCodeDateFormatSource       = "date_format_source"
	mappingCodeJoinSource             = "join_source"
)

// MappingErrorCodes returns every FieldError code that ParseMappingConfig and
// Config.Validate report, so each can be given a locale message.
func MappingErrorCodes() []string {
	return []string{
		mappingCodeInvalidJSON, mappingCodeEmpty, mappingCodeMustBeObject,
		mappingCodeMustBeList, mappingCodeMustBeString, mappingCodeMustBeBoolean,
		mappingCodeUnknownField, mappingCodeUnknownEndpoint,
		mappingCodeNoEndpoints, mappingCodeTooManyItems,
		mappingCodeEndpointNameRequired, mappingCodeEndpointNameInvalid,
		mappingCodeEndpointNameDuplicate, mappingCodeEndpointNoFields,
		mappingCodeEndpointMethodInvalid, mappingCodeEndpointTargetRequired,
		mappingCodeEndpointPathInvalid, mappingCodeEndpointEncoding,
		mappingCodeIdentityMultiple, mappingCodeIdentityUsesPatientID,
		mappingCodePatientIDUnavailable, mappingCodePatientIDPathInvalid,
		mappingCodeSourceRequired, mappingCodeSourceUnknown,
		mappingCodeTargetRequired, mappingCodeTargetInvalid, mappingCodeTargetDuplicate,
		mappingCodeTransformUnknown, mappingCodeTemplateInvalid,
		mappingCodeValueMapEmpty, mappingCodeValueMapDuplicate,
		mappingCodeDateFormatInvalid, mappingCodeDateFormatSource, mappingCodeJoinSource,
	}
}

var (
	endpointNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	targetFieldPattern  = regexp.MustCompile(`^[A-Za-z0-9_.\[\]-]{1,128}$`)
)

// Normalize fills the defaults of every endpoint in place: method POST,
// encoding json, and the method in upper case.
func (c *Config) Normalize() {
	for i := range c.Endpoints {
		endpoint := &c.Endpoints[i]
		endpoint.Method = normalizedMethod(endpoint.Method)
		if endpoint.Encoding == "" {
			endpoint.Encoding = EncodingJSON
		}
	}
}

func normalizedMethod(method string) string {
	method = strings.ToUpper(strings.TrimSpace(method))
	if method == "" {
		return http.MethodPost
	}

	return method
}

// Validate reports every broken rule of the config, in field order, or nil.
// It judges method and encoding as Normalize leaves them, so "post" and an
// empty method both pass. A config that validates can be applied to any
// patient and planned without further checks.
func (c Config) Validate() FieldErrors {
	var errs mappingErrors
	switch {
	case len(c.Endpoints) == 0:
		errs.add("endpoints", mappingCodeNoEndpoints)
	case len(c.Endpoints) > MaxMappingEndpoints:
		errs.add("endpoints", mappingCodeTooManyItems, MaxMappingEndpoints)
	}

	_, hasIdentity := c.IdentityEndpoint()
	identityCount := 0
	names := make(map[string]bool, len(c.Endpoints))
	for i, endpoint := range c.Endpoints {
		at := mappingIndexPath("endpoints", i)
		errs.checkEndpointName(endpoint.Name, at+".name", names)
		if endpoint.IdentifiesPatient {
			identityCount++
			if identityCount > 1 {
				errs.add(at+".identifiesPatient", mappingCodeIdentityMultiple)
			}
		}
		errs.checkEndpointCall(endpoint, at, hasIdentity)
		errs.checkRules(endpoint.Fields, at+".fields")
	}

	return errs.list()
}

// mappingErrors collects the errors of one validation in order.
type mappingErrors struct {
	errs FieldErrors
}

func (m *mappingErrors) add(field, code string, args ...any) {
	m.errs = append(m.errs, FieldError{Field: field, Code: code, Args: args})
}

func (m *mappingErrors) list() FieldErrors {
	if len(m.errs) == 0 {
		return nil
	}

	return m.errs
}

func mappingIndexPath(list string, index int) string {
	return list + "[" + strconv.Itoa(index) + "]"
}

func (m *mappingErrors) checkEndpointName(name, at string, seen map[string]bool) {
	switch {
	case name == "":
		m.add(at, mappingCodeEndpointNameRequired)
	case !endpointNamePattern.MatchString(name):
		m.add(at, mappingCodeEndpointNameInvalid)
	case seen[name]:
		m.add(at, mappingCodeEndpointNameDuplicate)
	default:
		seen[name] = true
	}
}

// checkEndpointCall checks how the endpoint is called: method, path or
// action, encoding and where the patient id comes from.
func (m *mappingErrors) checkEndpointCall(endpoint Endpoint, at string, hasIdentity bool) {
	switch normalizedMethod(endpoint.Method) {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		m.add(at+".method", mappingCodeEndpointMethodInvalid)
	}

	switch {
	case endpoint.Path == "" && endpoint.Action == "":
		m.add(at+".path", mappingCodeEndpointTargetRequired)
	case endpoint.Path != "" && !isValidEndpointPath(endpoint.Path):
		m.add(at+".path", mappingCodeEndpointPathInvalid)
	case PathNeedsPatientID(endpoint.Path) && endpoint.IdentifiesPatient:
		m.add(at+".path", mappingCodeIdentityUsesPatientID)
	case PathNeedsPatientID(endpoint.Path) && !hasIdentity:
		m.add(at+".path", mappingCodePatientIDUnavailable)
	}

	switch endpoint.Encoding {
	case "", EncodingJSON, EncodingForm:
	default:
		m.add(at+".encoding", mappingCodeEndpointEncoding)
	}

	if endpoint.PatientIDPath != "" && !isValidPatientIDPath(endpoint.PatientIDPath) {
		m.add(at+".patientIdPath", mappingCodePatientIDPathInvalid)
	}
}

// isValidPatientIDPath reports whether path is dotted keys or list indexes
// with no empty segment and no whitespace, as in "0.patientid".
func isValidPatientIDPath(path string) bool {
	if len(path) > 256 || strings.ContainsFunc(path, isSpaceOrControl) {
		return false
	}
	for segment := range strings.SplitSeq(path, ".") {
		if segment == "" {
			return false
		}
	}

	return true
}

func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f
}

func (m *mappingErrors) checkRules(rules []FieldRule, at string) {
	switch {
	case len(rules) == 0:
		m.add(at, mappingCodeEndpointNoFields)
	case len(rules) > MaxEndpointRules:
		m.add(at, mappingCodeTooManyItems, MaxEndpointRules)
	}

	targets := make(map[string]bool, len(rules))
	for j, rule := range rules {
		ruleAt := mappingIndexPath(at, j)
		sourceKnown := m.checkSource(rule.Source, ruleAt+".source")
		m.checkTarget(rule.Target, ruleAt+".target", targets)
		if rule.Transform != nil {
			m.checkTransform(rule, ruleAt+".transform", sourceKnown)
		}
	}
}

func (m *mappingErrors) checkSource(source, at string) (known bool) {
	switch {
	case source == "":
		m.add(at, mappingCodeSourceRequired)
	case !IsKnownSource(source):
		m.add(at, mappingCodeSourceUnknown)
	default:
		return true
	}

	return false
}

func (m *mappingErrors) checkTarget(target, at string, seen map[string]bool) {
	switch {
	case target == "":
		m.add(at, mappingCodeTargetRequired)
	case !targetFieldPattern.MatchString(target):
		m.add(at, mappingCodeTargetInvalid)
	case seen[target]:
		m.add(at, mappingCodeTargetDuplicate)
	default:
		seen[target] = true
	}
}

// checkTransform checks the fields that the transform's type uses. The
// source checks are skipped when the source itself is missing or unknown,
// because that error is already reported.
func (m *mappingErrors) checkTransform(rule FieldRule, at string, sourceKnown bool) {
	transform := rule.Transform
	switch transform.Type {
	case TransformJoin:
		if sourceKnown && !isListSource(rule.Source) {
			m.add(at, mappingCodeJoinSource)
		}
	case TransformTemplate:
		if !isValidTemplate(transform.Template) {
			m.add(at+".template", mappingCodeTemplateInvalid)
		}
	case TransformValueMap:
		m.checkValueMap(transform.Values, at+".values")
	case TransformDateFormat:
		if !isValidDateFormat(transform.Format) {
			m.add(at+".format", mappingCodeDateFormatInvalid)
		}
		if sourceKnown && !isDateSource(rule.Source) {
			m.add(at, mappingCodeDateFormatSource)
		}
	default:
		m.add(at+".type", mappingCodeTransformUnknown)
	}
}

// checkValueMap rejects an empty map and keys that match the same values,
// such as "Male" and " male", because matching ignores case and spaces at
// either end.
func (m *mappingErrors) checkValueMap(values map[string]string, at string) {
	if len(values) == 0 {
		m.add(at, mappingCodeValueMapEmpty)
		return
	}

	seen := make(map[string]bool, len(values))
	for key := range values {
		folded := strings.ToLower(strings.ToUpper(strings.TrimSpace(key)))
		if seen[folded] {
			m.add(at, mappingCodeValueMapDuplicate)
			return
		}
		seen[folded] = true
	}
}
