package ehr

import "context"

// TokenCallPaths says where a token-based family's responses carry ids.
type TokenCallPaths struct {
	// PatientID is where the identity endpoint's response carries the
	// patient id when the endpoint names no PatientIDPath.
	PatientID string
	// Reference is where other endpoints' responses carry the EHR's id for
	// what they stored; empty when the family returns none.
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
