package cache

import (
	"strconv"
	"strings"
	"time"
)

// allNames is the name an invalidation message carries for Clear.
const allNames = "*"

// ackLifetime is how long an acknowledgement counter lives in Redis.
const ackLifetime = 60 * time.Second

// keySpace names the Redis keys and channel of one prefix.
type keySpace struct {
	prefix string
}

// normalName is the form of an EHR name used in keys: names match
// case-insensitively.
func normalName(name string) string {
	return strings.ToLower(name)
}

func (k keySpace) pointer(name string) string {
	return k.prefix + "mapping:" + name + ":current"
}

// contentPrefix is the content key without its version number.
func (k keySpace) contentPrefix(name string) string {
	return k.prefix + "mapping:" + name + ":v"
}

func (k keySpace) content(name string, version int) string {
	return k.contentPrefix(name) + strconv.Itoa(version)
}

func (k keySpace) generation() string {
	return k.prefix + "mapping:generation"
}

func (k keySpace) channel() string {
	return k.prefix + "mapping:invalidate"
}

func (k keySpace) ack(id string) string {
	return k.prefix + "mapping:ack:" + id
}

// entryPattern is the SCAN pattern that covers every pointer and content
// key (and a few others that isEntryKey filters out).
func (k keySpace) entryPattern() string {
	return escapeGlob(k.prefix) + "mapping:*"
}

// isEntryKey reports whether key is a pointer or content key: its last
// segment is "current" or "v" followed by digits.
func isEntryKey(key string) bool {
	last := key[strings.LastIndexByte(key, ':')+1:]
	if last == "current" {
		return true
	}
	if len(last) < 2 || last[0] != 'v' {
		return false
	}
	_, err := strconv.ParseUint(last[1:], 10, 63)

	return err == nil
}

// escapeGlob quotes the characters SCAN MATCH treats as wildcards.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\^`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}

	return b.String()
}
