package athena

import (
	"context"

	"ehrbridge/ehr"
)

// CheckConnection requests a new access token with the configured client
// id and secret, which proves both that the EHR responds and that it
// accepts the credentials. The token is not kept, and no patient data is
// sent.
func (in *Integration) CheckConnection(ctx context.Context) error {
	return ehr.RunConnectionCheck(ctx, func(ctx context.Context) error {
		_, _, err := in.fetchToken(ctx)
		return err
	})
}
