package app

import (
	"encoding/json"
	"fmt"

	"ehrbridge/views"
)

// sendPageResult turns a send's API response body into the result the page
// shows.
func sendPageResult(outcome SendOutcome, req SendRequest, async bool) (*views.SendResult, error) {
	if async {
		var body acceptedBody
		if err := json.Unmarshal(outcome.Body, &body); err != nil {
			return nil, internalError(fmt.Errorf("decoding accepted send: %w", err))
		}
		return &views.SendResult{
			Async: true, Status: body.Status, Message: body.Message, TransactionID: body.TransactionID,
			EHRName: req.EHRName, UnsentFields: body.UnsentFields,
		}, nil
	}

	var body sendResponseBody
	if err := json.Unmarshal(outcome.Body, &body); err != nil {
		return nil, internalError(fmt.Errorf("decoding send result: %w", err))
	}
	result := &views.SendResult{
		Status: body.Status, Message: body.Message, TransactionID: body.TransactionID, EHRName: body.EHRName,
		MappingVersion: body.MappingVersion, EHRPatientID: body.EHRPatientID, UnsentFields: body.UnsentFields,
	}
	for _, endpoint := range body.Endpoints {
		row := views.SendEndpointResult{
			Name: endpoint.Name, Status: endpoint.Status, HTTPStatus: endpoint.HTTPStatus, DurationMS: endpoint.DurationMS,
		}
		if endpoint.Error != nil {
			row.Error = endpoint.Error.Message
		}
		result.Endpoints = append(result.Endpoints, row)
	}

	return result, nil
}
