package app

import (
	"fmt"
	"io"
	"time"

	"ehrbridge/app/seal"
)

// runGenerateKey prints a new ENCRYPTION_KEY value.
func runGenerateKey(stdout io.Writer) error {
	key, err := seal.GenerateKey(time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, key)

	return nil
}
