package locale

import (
	"strings"

	"golang.org/x/text/language"
)

// Resolve picks the response language of a request from, in order: the
// language field of the request body (requested), the lang query parameter
// (query) and the Accept-Language header. A source that is empty, invalid
// or names no supported language is skipped, and English is the default. The
// result is always one of Supported(), so "es-MX" resolves to es.
func (c *Catalog) Resolve(requested, query, acceptLanguage string) language.Tag {
	for _, candidate := range []string{requested, query} {
		if tag, ok := c.matchTag(candidate); ok {
			return tag
		}
	}
	if tag, ok := c.matchAcceptLanguage(acceptLanguage); ok {
		return tag
	}

	return c.supported[0]
}

// matchTag returns the supported language for one BCP 47 tag.
func (c *Catalog) matchTag(value string) (language.Tag, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return language.Und, false
	}
	tag, err := language.Parse(value)
	if err != nil {
		return language.Und, false
	}

	return c.match(tag)
}

// matchAcceptLanguage returns the supported language that best fits an
// Accept-Language header, honouring its order and q-values.
func (c *Catalog) matchAcceptLanguage(header string) (language.Tag, bool) {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return language.Und, false
	}

	return c.match(tags...)
}

// match uses the index that Matcher.Match returns, because the tag it
// returns carries extensions (en-u-rg-uszzzz) that are not a supported tag.
func (c *Catalog) match(tags ...language.Tag) (language.Tag, bool) {
	_, index, confidence := c.matcher.Match(tags...)
	if confidence == language.No {
		return language.Und, false
	}

	return c.supported[index], true
}
