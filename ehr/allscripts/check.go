package allscripts

import (
	"context"

	"ehrbridge/ehr"
)

// CheckConnection calls GetToken with the configured user name and
// password, which proves both that Unity responds and that it accepts the
// credentials. The token is not kept, and no patient data is sent.
func (in *Integration) CheckConnection(ctx context.Context) error {
	return ehr.RunConnectionCheck(ctx, func(ctx context.Context) error {
		_, _, err := in.fetchToken(ctx)
		return err
	})
}
