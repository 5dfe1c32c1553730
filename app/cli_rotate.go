package app

import (
	"errors"
	"io"
)

func runRotateKey(stdout, stderr io.Writer) error {
	return errors.New("not built")
}
