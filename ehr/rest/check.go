package rest

import (
	"context"
	"net/http"

	"ehrbridge/ehr"
)

// CheckConnection sends a GET to the base URL with the configured
// credentials. Any response below HTTP 500 means the EHR is reachable. A
// 401 or 403 fails the check when the system authenticates, because the EHR
// rejected the credentials. A base URL that needs no authentication cannot
// prove them, so other responses pass. No patient data is sent.
func (in *Integration) CheckConnection(ctx context.Context) error {
	return ehr.RunConnectionCheck(ctx, in.checkBaseURL)
}

func (in *Integration) checkBaseURL(ctx context.Context) error {
	req, err := http.NewRequest(http.MethodGet, in.conn.BaseURL, nil)
	if err != nil {
		return &ehr.CallError{Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig, Reason: "invalid EHR URL"}
	}
	req.Header.Set("Accept", "application/json")
	in.setCheckCredentials(req)

	_, err = ehr.DoHTTP(ctx, in.client, req)
	if err == nil {
		return nil
	}
	status := ehr.AsCallError(err).HTTPStatus
	switch {
	case status == 0 || status >= 500:
		return err
	case rejectsCredentials(status) && in.conn.AuthKind != ehr.AuthNone && in.conn.AuthKind != "":
		return ehr.AuthFailure(err)
	default:
		return nil
	}
}

// rejectsCredentials reports whether status is how an EHR refuses
// credentials.
func rejectsCredentials(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// setCheckCredentials adds the credentials a data call would carry.
func (in *Integration) setCheckCredentials(req *http.Request) {
	switch in.conn.AuthKind {
	case ehr.AuthBearer:
		req.Header.Set("Authorization", "Bearer "+in.conn.Secret)
	case ehr.AuthBasic:
		req.SetBasicAuth(in.conn.ClientID, in.conn.Secret)
	}
}
