// Package cache keeps each EHR system and its current mapping close at hand,
// so that a send does not read PostgreSQL every time.
//
// A lookup tries three tiers in order: an in-process LRU whose entries live
// at most Options.LocalTTL, then Redis, then the Loader (PostgreSQL). Each
// tier that missed is filled on the way back. Concurrent misses for the same
// name share one load.
//
// # Redis keys
//
// With prefix P and the EHR name in lower case as N:
//
//	P mapping:N:current     the current mapping version number (TTL Options.TTL)
//	P mapping:N:v<version>  the JSON Entry of that version (TTL Options.TTL)
//	P mapping:generation    a counter raised by every invalidation (no TTL)
//	P mapping:ack:<id>      acknowledgements of one invalidation message (60s)
//	P mapping:invalidate    the Pub/Sub channel of invalidation messages
//
// Content keys never change once written, so invalidation deletes only the
// pointer. A lookup reads the generation, the pointer and the content in one
// round trip with a Lua script. BenchmarkRedisReadScript and
// BenchmarkRedisReadTwoTrips compare it with two plain round trips.
//
// A fill after a database load writes the pointer only while the generation
// is still the one read before the load. So a load that raced an
// invalidation cannot put the old version back. The script builds the
// content key from the pointer's value, so it suits a single Redis server,
// not Redis Cluster.
//
// # Invalidation
//
// Invalidate drops the local entry. Then, in one MULTI/EXEC, it raises the
// generation, deletes the pointer and publishes a message holding a unique
// id and the name ("*" for Clear). Every Run loop subscribed to the channel,
// including the publishing copy's own, drops its local entry and increments
// the message's acknowledgement key. Invalidate waits, up to
// Options.AckWait, until the acknowledgements reach the number of receivers
// that PUBLISH reported.
//
// Counting the publisher's own Run loop keeps that number right whether or
// not this copy's Run loop is running, at the cost of one extra INCR. On
// timeout Invalidate logs a warning and returns nil, because LocalTTL still
// bounds how long a copy that missed the message can serve the old entry.
//
// When a Run loop subscribes again after a lost connection, it empties its
// local tier, since messages sent while it was away are lost.
//
// # Redis failures
//
// Every Redis operation is bounded by Options.Timeout. A failure or a slow
// response marks Redis down, and lookups go on with the Loader. While Redis
// is down, lookups skip it except for one probe a second, and the first
// operation that succeeds marks it up again.
//
// An Invalidate or Clear that cannot reach Redis still drops the local
// entries and returns an error wrapping ErrRedisUnavailable. Run retries the
// Redis part until Redis accepts it, and until then lookups of the affected
// names do not read Redis.
package cache
