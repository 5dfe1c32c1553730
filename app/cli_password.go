package app

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"ehrbridge/app/auth"
)

// readNewPassword reads a password and returns its hash. At a terminal it
// prompts twice without echoing. Otherwise it reads the first line of stdin,
// so scripts can pipe a password in without putting it in argv or the
// environment.
func readNewPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordRules(password); err != nil {
		return "", err
	}

	return auth.HashPassword(password)
}

func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if file, ok := stdin.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		return readPasswordFromTerminal(int(file.Fd()), stderr)
	}

	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input: pipe one in, or run the command at a terminal")
	}

	return line, nil
}

func readPasswordFromTerminal(fd int, stderr io.Writer) (string, error) {
	fmt.Fprint(stderr, "Password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	fmt.Fprint(stderr, "Repeat the password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords differ")
	}

	return string(first), nil
}
