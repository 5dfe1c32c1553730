package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// readScript returns the generation, the current version and that
// version's content, each "" when missing, in one round trip.
// KEYS: generation, pointer. ARGV: content key without its version.
var readScript = redis.NewScript(`
local generation = redis.call('GET', KEYS[1]) or ''
local version = redis.call('GET', KEYS[2])
if not version then return {generation, '', ''} end
local content = redis.call('GET', ARGV[1] .. version) or ''
return {generation, version, content}
`)

// fillScript writes the content and the pointer, both with a TTL, unless
// the generation moved since the lookup read it. It returns 1 when written.
// KEYS: generation, pointer, content. ARGV: generation read, version,
// content, TTL in milliseconds.
var fillScript = redis.NewScript(`
local generation = redis.call('GET', KEYS[1]) or ''
if generation ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
return 1
`)

// redisRead is the result of one Redis lookup.
type redisRead struct {
	generation string
	entry      Entry
	found      bool
}

// readRedis looks name up in Redis.
func (c *Cache) readRedis(ctx context.Context, name string) (redisRead, error) {
	var values []string
	err := c.redisOp(ctx, func(ctx context.Context) error {
		var err error
		keys := []string{c.keys.generation(), c.keys.pointer(name)}
		values, err = readScript.Run(ctx, c.opts.Redis, keys, c.keys.contentPrefix(name)).StringSlice()
		return err
	})
	if err != nil {
		return redisRead{}, fmt.Errorf("reading mapping from redis: %w", err)
	}
	if len(values) != 3 {
		return redisRead{}, fmt.Errorf("reading mapping from redis: got %d values, want 3", len(values))
	}
	read := redisRead{generation: values[0]}
	if values[2] == "" {
		return read, nil
	}
	if err := json.Unmarshal([]byte(values[2]), &read.entry); err != nil {
		return redisRead{}, fmt.Errorf("decoding mapping from redis: %w", err)
	}
	read.found = true

	return read, nil
}

// fillRedis stores entry under name unless the generation moved away from
// generation, in which case it writes nothing.
func (c *Cache) fillRedis(ctx context.Context, name, generation string, entry Entry) error {
	content, err := json.Marshal(entry)
	if err != nil {
		return fmt.Errorf("encoding mapping for redis: %w", err)
	}
	version := entry.Mapping.Version
	keys := []string{c.keys.generation(), c.keys.pointer(name), c.keys.content(name, version)}
	ttl := max(c.opts.TTL.Milliseconds(), 1)
	err = c.redisOp(ctx, func(ctx context.Context) error {
		return fillScript.Run(ctx, c.opts.Redis, keys, generation, strconv.Itoa(version), content, ttl).Err()
	})
	if err != nil {
		return fmt.Errorf("writing mapping to redis: %w", err)
	}

	return nil
}
