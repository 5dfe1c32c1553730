package app

import (
	"cmp"
	"strconv"
	"strings"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// Codes of valueMap parameters that cannot become a mapping: a pair
// without "=" or with an empty key, and two keys that match the same value.
const (
	draftCodeValuePairs    = "value_map_pairs_invalid"
	draftCodeValueRepeated = "value_map_duplicate"
)

// draftCommentField is the field path of the comment in draft errors.
const draftCommentField = "comment"

// validated builds the mapping the draft describes, normalized as the API
// stores it, and every error of the draft: inputs that cannot be read, then
// what ehr.Config.Validate reports, each field at most once.
func (d mappingDraft) validated() (ehr.Config, ehr.FieldErrors) {
	config, errs := d.config()
	config.Normalize()
	for _, fe := range config.Validate() {
		if !hasFieldError(errs, fe.Field) {
			errs = append(errs, fe)
		}
	}

	return config, errs
}

// config builds the mapping the draft describes, with the errors of inputs
// that cannot be read, such as a valueMap pair without "=".
func (d mappingDraft) config() (ehr.Config, ehr.FieldErrors) {
	var errs ehr.FieldErrors
	config := ehr.Config{Endpoints: make([]ehr.Endpoint, len(d.Endpoints))}
	for i, draft := range d.Endpoints {
		endpoint := ehr.Endpoint{
			Name: draft.Name, Method: draft.Method, Path: draft.Path, Action: draft.Action, Encoding: draft.Encoding,
			IdentifiesPatient: draft.IdentifiesPatient, PatientIDPath: draft.PatientIDPath,
			Fields: make([]ehr.FieldRule, len(draft.Rules)),
		}
		for j, rule := range draft.Rules {
			at := "endpoints[" + strconv.Itoa(i) + "].fields[" + strconv.Itoa(j) + "].transform"
			transform, code := rule.transform()
			if code != "" {
				errs = append(errs, ehr.FieldError{Field: at + ".values", Code: code})
			}
			endpoint.Fields[j] = ehr.FieldRule{Source: rule.source(), Target: rule.Target, Transform: transform}
		}
		config.Endpoints[i] = endpoint
	}

	return config, errs
}

// source is the rule's source path: the selected option, or the answer
// that the answer key names when the answers option is selected, or when
// nothing is selected but a key is typed.
func (r ruleDraft) source() string {
	if r.Source == views.MappingAnswerSource || r.Source == "" && r.AnswerKey != "" {
		return ehr.AnswersPrefix + r.AnswerKey
	}

	return r.Source
}

// transform builds the rule's transform from its type and parameter, and
// the error code of valueMap pairs that cannot be read.
func (r ruleDraft) transform() (transform *ehr.Transform, code string) {
	switch r.Transform {
	case "":
		return nil, ""
	case ehr.TransformJoin:
		return &ehr.Transform{Type: r.Transform, Separator: r.Param}, ""
	case ehr.TransformTemplate:
		return &ehr.Transform{Type: r.Transform, Template: strings.TrimSpace(r.Param)}, ""
	case ehr.TransformValueMap:
		values, code := parseValuePairs(r.Param)
		return &ehr.Transform{Type: r.Transform, Values: values}, code
	case ehr.TransformDateFormat:
		return &ehr.Transform{Type: r.Transform, Format: strings.TrimSpace(r.Param)}, ""
	default:
		return &ehr.Transform{Type: r.Transform}, ""
	}
}

// parseValuePairs reads "male=M, female=F" and returns the error code of a
// pair without "=" or with an empty key, or of a key repeated in another
// case. Blank pairs are skipped.
func parseValuePairs(text string) (values map[string]string, code string) {
	values = map[string]string{}
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(text, valuePairSeparator) {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		key, value, found := strings.Cut(pair, valuePairJoiner)
		key = strings.TrimSpace(key)
		switch {
		case !found || key == "":
			code = draftCodeValuePairs
		case seen[strings.ToLower(key)]:
			code = cmp.Or(code, draftCodeValueRepeated)
		default:
			seen[strings.ToLower(key)] = true
			values[key] = strings.TrimSpace(value)
		}
	}

	return values, code
}

// hasFieldError reports whether errs already has an error on field.
func hasFieldError(errs ehr.FieldErrors, field string) bool {
	for _, fe := range errs {
		if fe.Field == field {
			return true
		}
	}

	return false
}

// commentErrors checks the comment of a save from the editor: required,
// and at most as long as the API allows.
func commentErrors(comment string) ehr.FieldErrors {
	switch {
	case comment == "":
		return ehr.FieldErrors{{Field: draftCommentField, Code: "required"}}
	case len(comment) > maxMappingCommentLength:
		return ehr.FieldErrors{{Field: draftCommentField, Code: "too_long", Args: []any{maxMappingCommentLength}}}
	default:
		return nil
	}
}
