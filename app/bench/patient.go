package bench

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// samplePatient is a synthetic send request that fills every patient
// section, so a send reaches every endpoint of the default mappings.
//
//go:embed sample_patient.json
var samplePatient []byte

// loadRequestBody returns the send request body and the EHR it targets.
// The body comes from path, or from the built-in sample when path is
// empty. Its ehrName becomes ehrName when ehrSet (--ehr was given) or when
// the file names no EHR; otherwise the file's ehrName is kept. Errors name
// the file but never quote its content, which may be patient data.
func loadRequestBody(path, ehrName string, ehrSet bool) ([]byte, string, error) {
	raw := samplePatient
	source := "the built-in sample patient"
	if path != "" {
		var err error
		raw, err = os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("reading --patient file: %w", err)
		}
		source = "--patient file " + path
	}

	request, err := decodeSendRequest(raw)
	if err != nil {
		return nil, "", fmt.Errorf("invalid %s: %w", source, err)
	}
	var fileEHR string
	if rawEHR, ok := request["ehrName"]; ok && json.Unmarshal(rawEHR, &fileEHR) == nil && fileEHR != "" && !ehrSet {
		ehrName = fileEHR
	}
	request["ehrName"], _ = json.Marshal(ehrName)

	body, err := json.Marshal(request)
	if err != nil {
		return nil, "", fmt.Errorf("encoding the send request: %w", err)
	}

	return body, ehrName, nil
}

// decodeSendRequest checks that raw is a JSON object whose patientData is
// an object. The server validates the patient's fields itself.
func decodeSendRequest(raw []byte) (map[string]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("it must be a JSON object such as {\"ehrName\": \"Athena\", \"patientData\": {...}}")
	}
	var request map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &request); err != nil {
		return nil, fmt.Errorf("it is not valid JSON: %w", err)
	}
	patient, ok := request["patientData"]
	if !ok {
		return nil, errors.New("the patientData object is missing")
	}
	patient = bytes.TrimSpace(patient)
	if len(patient) == 0 || patient[0] != '{' {
		return nil, errors.New("patientData must be a JSON object")
	}

	return request, nil
}
