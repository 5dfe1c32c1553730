package ehr

import "context"

// CallWithToken runs one call of a token-based integration: send makes the
// request with the cached token, and runs once more when the EHR rejects
// that token with 401 (send fetches a new one after invalidating the old).
// For the identity endpoint the patient id is read from the answer at the
// endpoint's PatientIDPath, or at defaultPatientIDPath.
func CallWithToken(ctx context.Context, call EndpointCall, defaultPatientIDPath string, send func(context.Context, EndpointCall) (HTTPResponse, error)) (CallResult, error) {
	resp, err := send(ctx, call)
	if IsUnauthorized(err) {
		resp, err = send(ctx, call)
	}
	result := CallResult{HTTPStatus: resp.Status}
	if err != nil || !call.Endpoint.IdentifiesPatient {
		return result, err
	}

	path := call.Endpoint.PatientIDPath
	if path == "" {
		path = defaultPatientIDPath
	}
	result.PatientID, err = PatientIDFromResponse(resp.Body, path)

	return result, err
}
