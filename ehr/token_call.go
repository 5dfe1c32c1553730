package ehr

import "context"

// TokenCallPaths locates the ids in a token-based family's responses.
type TokenCallPaths struct {
	// PatientID is the JSON path at which the identity endpoint's response carries the
	// patient id when the endpoint names no PatientIDPath.
	PatientID string
	// Reference is the JSON path of the EHR's id for what other endpoints
	// stored. It is empty when the family returns none.
	Reference string
}

// CallWithToken runs one call of a token-based integration: send makes the
// request with the cached token, and runs once more when the EHR rejects
// that token with 401 (send fetches a new one after invalidating the old).
// The identity endpoint's patient id is also its reference.
func CallWithToken(ctx context.Context, call EndpointCall, paths TokenCallPaths, send func(context.Context, EndpointCall) (HTTPResponse, error)) (CallResult, error) {
	resp, err := send(ctx, call)
	if IsUnauthorized(err) {
		resp, err = send(ctx, call)
	}
	result := CallResult{HTTPStatus: resp.Status}
	if err != nil {
		return result, err
	}
	if !call.Endpoint.IdentifiesPatient {
		if paths.Reference != "" {
			result.Reference, _ = ValueAtJSONPath(resp.Body, paths.Reference)
		}
		return result, nil
	}

	path := call.Endpoint.PatientIDPath
	if path == "" {
		path = paths.PatientID
	}
	result.PatientID, err = PatientIDFromResponse(resp.Body, path)
	result.Reference = result.PatientID

	return result, err
}
