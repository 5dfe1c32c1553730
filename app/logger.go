package app

import (
	"io"
	"log/slog"
)

// NewLogger builds the process's logger from LOG_LEVEL and LOG_FORMAT.
func NewLogger(cfg *Config, out io.Writer) *slog.Logger {
	options := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(contextLogHandler{slog.NewJSONHandler(out, options)})
	}

	return slog.New(contextLogHandler{slog.NewTextHandler(out, options)})
}
