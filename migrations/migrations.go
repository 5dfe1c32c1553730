// Package migrations embeds ehrbridge's numbered SQL migrations. Each file
// is named NNNN_description.sql and runs in its own database transaction;
// app/store applies them in number order.
package migrations

import "embed"

// Files holds every migration file.
//
//go:embed *.sql
var Files embed.FS
