package app

import (
	"context"
	"errors"
)

// errNoAdmin stops a production server that has no account able to administer it.
var errNoAdmin = errors.New("production mode needs at least one active admin account: create one with `ehrbridge user create --username NAME --role admin`")

// checkReadyToServe refuses to serve in production without an active admin
// account, and warns about what development mode leaves open.
func (a *App) checkReadyToServe(ctx context.Context) error {
	if a.Config.Development() {
		if !a.Config.AuthRequired {
			a.Logger.Warn("development mode without authentication: anyone who can reach " + a.Config.ListenAddress() + " can read and send patient data; set AUTH_REQUIRED=true or APP_ENV=production for real patient data")
		}
		if !a.Config.Keyring.Enabled() {
			a.Logger.Warn("no ENCRYPTION_KEY: patient payloads are stored unencrypted; set one (see `ehrbridge genkey`) and run `ehrbridge rotate-key` to encrypt stored rows")
		}
		if a.Simulator != nil {
			a.Logger.Warn("development mode: the EHR simulator is mounted under /sim/ without authentication")
		}
		return nil
	}

	admins, err := a.Store.CountActiveAdmins(ctx)
	if err != nil {
		return err
	}
	if admins == 0 {
		return errNoAdmin
	}

	return nil
}
