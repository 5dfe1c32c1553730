package app

import (
	"ehrbridge/app/auth"
	"regexp"
	"strconv"

	"golang.org/x/text/language"
)

// mappingRollbackComment matches the comment a rollback stores, as
// "rollback to version 3".
var mappingRollbackComment = regexp.MustCompile(`^rollback to version (\d+)$`)

// mappingCommentKeys are the locale keys of the comments the server writes
// itself, by their stored English text.
var mappingCommentKeys = map[string]string{
	"default mapping": "page.mappings.comment_default",
	"first mapping":   "page.mappings.comment_first",
}

// mappingCommentText translates a stored version comment that the server
// wrote. A comment that a person wrote is returned unchanged.
func (a *App) mappingCommentText(tag language.Tag, comment string) string {
	if key, ok := mappingCommentKeys[comment]; ok {
		return a.Catalog.Text(tag, key)
	}
	if match := mappingRollbackComment.FindStringSubmatch(comment); match != nil {
		if version, err := strconv.Atoi(match[1]); err == nil {
			return a.Catalog.Text(tag, "page.mappings.comment_rollback", version)
		}
	}

	return comment
}

// mappingAuthorText returns the recorded author of a version, with the
// anonymous author translated.
func (a *App) mappingAuthorText(tag language.Tag, author string) string {
	if author == string(auth.Anonymous) || author == "" {
		return a.Catalog.Text(tag, "page.mappings.author_anonymous")
	}

	return author
}
