package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/ehr/allscripts"
	"ehrbridge/ehr/athena"
)

// defaultSystems are the EHR systems a new database starts with. Their base
// URLs point at the built-in simulator; in production the simulator is not
// served, so staff must set real base URLs before sending.
func defaultSystems(development bool) []store.System {
	athenaBase, unityBase := "/sim/athena", "/sim/unity"
	if !development {
		athenaBase, unityBase = "", ""
	}

	return []store.System{
		{
			Name: "Athena", Family: athena.FamilyName, BaseURL: athenaBase, PracticeID: "195900",
			AuthKind: ehr.AuthClientCredentials, ClientID: "ehrbridge", SecretEnv: "ATHENA_CLIENT_SECRET",
			Options: store.StringMap{},
		},
		{
			Name: "Allscripts", Family: allscripts.FamilyName, BaseURL: unityBase,
			AuthKind: ehr.AuthUnityToken, ClientID: "ehrbridge", SecretEnv: "ALLSCRIPTS_PASSWORD",
			Options: store.StringMap{allscripts.OptionAppName: "ehrbridge", allscripts.OptionAppUserID: "ehrbridge"},
		},
	}
}

// seedDefaultSystems creates the default systems with their families'
// default mappings when the database has no EHR system yet.
func (a *App) seedDefaultSystems(ctx context.Context) error {
	count, err := a.Store.CountSystems(ctx)
	if err != nil || count > 0 {
		return err
	}

	for _, system := range defaultSystems(a.Config.Development()) {
		family, _ := ehr.LookupFamily(system.Family)
		config, err := json.Marshal(family.DefaultMapping)
		if err != nil {
			return fmt.Errorf("encoding default mapping of %s: %w", system.Name, err)
		}
		err = a.Store.CreateSystem(ctx, &system, config, "default mapping")
		if errors.Is(err, store.ErrDuplicateName) {
			// Another copy of the binary seeded it at the same moment.
			continue
		}
		if err != nil {
			return err
		}
		a.Logger.Info("EHR system seeded", "ehr", system.Name, "ehr_system_id", system.ID)
	}

	return nil
}
