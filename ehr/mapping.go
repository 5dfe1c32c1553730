package ehr

import "time"

// Body encodings an endpoint can use.
const (
	EncodingJSON = "json"
	EncodingForm = "form"
)

// Transform types a field rule can apply.
const (
	TransformJoin       = "join"
	TransformTemplate   = "template"
	TransformValueMap   = "valueMap"
	TransformDateFormat = "dateFormat"
)

// Mapping is one immutable version of an EHR's mapping: which patient field
// goes to which target field of which endpoint.
type Mapping struct {
	EHRName   string    `json:"ehrName"`
	Version   int       `json:"version"`
	Comment   string    `json:"comment,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Config    Config    `json:"mappingConfig"`
}

// Config is the part of a mapping that staff edit: the list of endpoints,
// in the order they are shown. Delivery order comes from the planner.
type Config struct {
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoint is one EHR API call that receives part of the patient record.
type Endpoint struct {
	// Name identifies the endpoint within the mapping ("medical_history").
	Name string `json:"name"`
	// Method is the HTTP method; integrations that name calls by action
	// (Allscripts Unity) ignore it.
	Method string `json:"method,omitempty"`
	// Path is the URL path below the EHR's base URL, with {patientId} and
	// {practiceId} placeholders.
	Path string `json:"path,omitempty"`
	// Action is the Unity MagicJson action name ("SavePatient").
	Action string `json:"action,omitempty"`
	// Encoding is the request body encoding: "json" (default) or "form".
	Encoding string `json:"encoding,omitempty"`
	// IdentifiesPatient marks the endpoint that creates or finds the patient;
	// it runs first and its response carries the EHR's patient id.
	IdentifiesPatient bool `json:"identifiesPatient,omitempty"`
	// PatientIDPath locates the patient id in the identity endpoint's JSON
	// response, as dotted keys and list indexes ("0.patientid").
	PatientIDPath string `json:"patientIdPath,omitempty"`
	// Fields are the rules that fill the endpoint's request body.
	Fields []FieldRule `json:"fields"`
}

// FieldRule sends the value at Source to the Target field, optionally
// transformed.
type FieldRule struct {
	Source    string     `json:"source"`
	Target    string     `json:"target"`
	Transform *Transform `json:"transform,omitempty"`
}

// Transform changes a source value before it is sent. Type selects which of
// the other fields apply.
type Transform struct {
	Type string `json:"type"`
	// Separator joins list values (join); the default is ", ".
	Separator string `json:"separator,omitempty"`
	// Template combines fields, as in "{lastName}, {firstName}" (template).
	Template string `json:"template,omitempty"`
	// Values replaces whole values, matched case-insensitively (valueMap).
	Values map[string]string `json:"values,omitempty"`
	// Format is the output date layout written with YYYY, MM and DD tokens,
	// as in "MM/DD/YYYY" (dateFormat).
	Format string `json:"format,omitempty"`
}

// EndpointNamed returns the endpoint with the given name.
func (c Config) EndpointNamed(name string) (Endpoint, bool) {
	for _, endpoint := range c.Endpoints {
		if endpoint.Name == name {
			return endpoint, true
		}
	}

	return Endpoint{}, false
}

// IdentityEndpoint returns the endpoint that identifies the patient, if any.
func (c Config) IdentityEndpoint() (Endpoint, bool) {
	for _, endpoint := range c.Endpoints {
		if endpoint.IdentifiesPatient {
			return endpoint, true
		}
	}

	return Endpoint{}, false
}
