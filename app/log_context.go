package app

import (
	"context"
	"log/slog"

	"github.com/labstack/echo/v4"
)

// logContextKey is the context key of the ids every log line of a request
// or a queue job carries.
type logContextKey struct{}

// logIDs are the ids added to each log line written with a context.
type logIDs struct {
	requestID string
	jobID     int64
}

// withRequestID returns ctx carrying a request id for log lines.
func withRequestID(ctx context.Context, requestID string) context.Context {
	return context.WithValue(ctx, logContextKey{}, logIDs{requestID: requestID})
}

// withJobID returns ctx carrying a queue job id for log lines.
func withJobID(ctx context.Context, jobID int64) context.Context {
	return context.WithValue(ctx, logContextKey{}, logIDs{jobID: jobID})
}

// contextLogHandler adds the request or job id of the context to every
// record logged with one (Logger.InfoContext and the like).
type contextLogHandler struct {
	slog.Handler
}

// Handle adds the ids, then passes the record on.
func (h contextLogHandler) Handle(ctx context.Context, record slog.Record) error {
	if ids, ok := ctx.Value(logContextKey{}).(logIDs); ok {
		if ids.requestID != "" {
			record.AddAttrs(slog.String("request_id", ids.requestID))
		}
		if ids.jobID != 0 {
			record.AddAttrs(slog.Int64("job_id", ids.jobID))
		}
	}

	return h.Handler.Handle(ctx, record)
}

// WithAttrs keeps the wrapper around the handler with attrs.
func (h contextLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextLogHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapper around the handler with a group.
func (h contextLogHandler) WithGroup(name string) slog.Handler {
	return contextLogHandler{h.Handler.WithGroup(name)}
}

// tagRequestContext puts the request id into the request's context, so
// every line logged with that context names the request.
func tagRequestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		c.SetRequest(c.Request().WithContext(withRequestID(c.Request().Context(), requestID)))

		return next(c)
	}
}
