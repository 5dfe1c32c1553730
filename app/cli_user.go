package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
)

// userFlags are the flags every user action takes.
type userFlags struct {
	username string
	role     string
}

func parseUserFlags(action string, args []string, stderr io.Writer) (userFlags, error) {
	var f userFlags
	flags := flag.NewFlagSet("user "+action, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&f.username, "username", "", "the account's user name")
	flags.StringVar(&f.role, "role", "", "admin, operator or viewer")
	if err := flags.Parse(args); err != nil {
		return f, err
	}
	if action == "list" {
		return f, nil
	}

	name, ok := auth.NormalizeUsername(f.username)
	if !ok {
		return f, errors.New("--username must have 2 to 64 characters of a-z, 0-9, '.', '_', '@' and '-', starting with a letter or digit")
	}
	f.username = name
	if (action == "create" || action == "set-role") && !auth.IsRole(f.role) {
		return f, errors.New("--role must be admin, operator or viewer")
	}

	return f, nil
}

func runUserCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user needs an action: create, list, set-password, set-role, disable or enable")
	}
	action := args[0]
	f, err := parseUserFlags(action, args[1:], stderr)
	if err != nil {
		return err
	}
	ctx := context.Background()
	_, st, err := openCLIStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()

	switch action {
	case "create":
		return createUserFromCLI(ctx, st, f, stdin, stdout, stderr)
	case "list":
		return listUsers(ctx, st, stdout)
	case "set-password":
		hash, err := readNewPassword(stdin, stderr)
		if err != nil {
			return err
		}
		return changeUserFromCLI(ctx, st, f.username, store.UserChange{PasswordHash: &hash}, map[string]any{"password": "changed"}, stdout)
	case "set-role":
		return changeUserFromCLI(ctx, st, f.username, store.UserChange{Role: &f.role}, map[string]any{"role": f.role}, stdout)
	case "disable", "enable":
		disabled := action == "disable"
		return changeUserFromCLI(ctx, st, f.username, store.UserChange{Disabled: &disabled}, map[string]any{"disabled": disabled}, stdout)
	}

	return fmt.Errorf("unknown user action %q: use create, list, set-password, set-role, disable or enable", action)
}

func createUserFromCLI(ctx context.Context, st *store.Store, f userFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	hash, err := readNewPassword(stdin, stderr)
	if err != nil {
		return err
	}
	u := &store.User{Username: f.username, PasswordHash: hash, Role: f.role}
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s user %s\n", u.Role, u.Username)

	return auditCLI(ctx, st, auditUserCreate, u.Username, map[string]any{"role": u.Role})
}

func changeUserFromCLI(ctx context.Context, st *store.Store, username string, change store.UserChange, details map[string]any, stdout io.Writer) error {
	u, err := st.FindUserByName(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user is named %q", username)
	}
	if err != nil {
		return err
	}
	if _, err := st.UpdateUser(ctx, u.ID, change); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "updated user", username)

	return auditCLI(ctx, st, auditUserUpdate, username, details)
}

func listUsers(ctx context.Context, st *store.Store, stdout io.Writer) error {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	table := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "USERNAME\tROLE\tCREATED\tLAST SIGN-IN\tSTATE")
	for _, u := range users {
		state, lastLogin := "active", "never"
		if !u.Active() {
			state = "disabled"
		}
		if u.LastLoginAt != nil {
			lastLogin = u.LastLoginAt.UTC().Format(timeFormat)
		}
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.CreatedAt.UTC().Format(timeFormat), lastLogin, state)
	}

	return table.Flush()
}
