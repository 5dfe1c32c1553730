// Command ehrbridge delivers patient intake data to EHR systems. Run
// "ehrbridge help" for its subcommands.
package main

import (
	"os"

	"ehrbridge/app"
)

func main() {
	os.Exit(app.RunCLI(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
