package store

import (
	"strconv"
	"strings"
)

// pgMigrations are migrations in PostgreSQL's SQL, step for step: version
// n means the same schema on either store, so that a fleet moves between
// them (Copy). Every text column is in the "C" collation: it sorts, and
// lower() folds case, byte for byte as SQLite's BINARY does, whatever the
// database's default collation (an ICU or glibc one would sort "a" before
// "B" and the reports differently). Times are RFC 3339 text in UTC of a
// fixed width, as in SQLite, compared as text (collectedFormat,
// timeFormat). Snapshots are text, kept byte for byte (json or jsonb
// would check or rewrite them); raw outputs are bytea.
var pgMigrations = []string{
	// 1: the first schema.
	`CREATE TABLE devices (
		id BIGINT PRIMARY KEY,
		key TEXT COLLATE "C" NOT NULL UNIQUE,
		first_seen TEXT COLLATE "C" NOT NULL,
		latest_id BIGINT
	);
	CREATE TABLE collections (
		id BIGINT PRIMARY KEY,
		device_id BIGINT NOT NULL REFERENCES devices(id),
		bundle_id TEXT COLLATE "C" NOT NULL UNIQUE,
		sha256 TEXT COLLATE "C" NOT NULL,
		size BIGINT NOT NULL,
		file_name TEXT COLLATE "C" NOT NULL,
		source TEXT COLLATE "C" NOT NULL,
		generator TEXT COLLATE "C" NOT NULL,
		collected_at TEXT COLLATE "C" NOT NULL,
		imported_at TEXT COLLATE "C" NOT NULL,
		site TEXT COLLATE "C" NOT NULL,
		line TEXT COLLATE "C" NOT NULL,
		asset TEXT COLLATE "C" NOT NULL,
		hostname TEXT COLLATE "C" NOT NULL,
		engineer TEXT COLLATE "C" NOT NULL,
		category TEXT COLLATE "C" NOT NULL,
		kms_client INTEGER NOT NULL DEFAULT 0,
		kms_server INTEGER NOT NULL DEFAULT 0,
		kms_office INTEGER NOT NULL DEFAULT 0,
		snapshot TEXT COLLATE "C" NOT NULL
	);
	CREATE INDEX collections_device ON collections(device_id, collected_at);
	-- The same columns as SQLite's view: seq from 0, numbers as numbers.
	CREATE VIEW products AS
		SELECT c.id AS collection_id, p.ord - 1 AS seq, p.value->>'kind' AS kind, p.value->>'name' AS name,
			p.value->>'channel' AS channel, p.value->>'license_status' AS license_status,
			(p.value->>'grace_minutes')::bigint AS grace_minutes, coalesce(p.value->>'partial_key', '') AS partial_key,
			coalesce((p.value->>'status_reason')::bigint, 0) AS status_reason, p.value->>'source' AS source
		FROM collections c, json_array_elements(c.snapshot::json -> 'products') WITH ORDINALITY AS p(value, ord);
	CREATE TABLE raw (
		collection_id BIGINT NOT NULL REFERENCES collections(id),
		member TEXT COLLATE "C" NOT NULL,
		data BYTEA NOT NULL,
		PRIMARY KEY (collection_id, member)
	);`,
	// 2: trust (SQLite's migration 2).
	`ALTER TABLE collections ADD COLUMN warnings TEXT COLLATE "C" NOT NULL DEFAULT '';
	ALTER TABLE collections ADD COLUMN time_ok INTEGER NOT NULL DEFAULT 1;
	ALTER TABLE collections ADD COLUMN hardware TEXT COLLATE "C" NOT NULL DEFAULT '';
	DROP INDEX collections_device;
	CREATE INDEX collections_device ON collections(device_id, time_ok, collected_at);`,
	// 3: the KMS hosts of a collection's clients, as JSON text.
	`ALTER TABLE collections ADD COLUMN kms_hosts TEXT COLLATE "C";`,
	// 4: a device's aggregates, and the indexes of the fleet's reading.
	`ALTER TABLE devices ADD COLUMN collections INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE devices ADD COLUMN suspect INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE devices ADD COLUMN identities TEXT COLLATE "C" NOT NULL DEFAULT '';
	UPDATE devices SET ` + pgRewrite(deviceAggregates) + `;
	CREATE INDEX collections_place ON collections(site, line, asset);
	CREATE INDEX devices_latest ON devices(latest_id);`,
	// 5: the activation return path (activation.go).
	pgActivationSchema,
	// 6: the identity lists made again (SQLite's migration 6).
	`UPDATE devices SET ` + pgRewrite(identitiesAggregate) + ` WHERE identities != '';`,
	// 7: every stored time in its fixed-width format (SQLite's
	// migration 7).
	pgRewrite(fixedTimes),
	// 8: the CIDs put back on file (SQLite's migration 8).
	pgRestoresSchema,
}

// pgActivationSchema is activationSchema (migration 5) in PostgreSQL's
// SQL: the same tables, text in the "C" collation.
const pgActivationSchema = `CREATE TABLE confirmation_ids (
		installation_id TEXT COLLATE "C" NOT NULL,
		confirmation_id TEXT COLLATE "C" NOT NULL,
		extended_pid TEXT COLLATE "C" NOT NULL,
		host TEXT COLLATE "C" NOT NULL,
		device_key TEXT COLLATE "C" NOT NULL,
		source TEXT COLLATE "C" NOT NULL,
		file_name TEXT COLLATE "C" NOT NULL,
		file_row BIGINT NOT NULL,
		obtained_at TEXT COLLATE "C" NOT NULL,
		imported_at TEXT COLLATE "C" NOT NULL,
		imported_by TEXT COLLATE "C" NOT NULL,
		PRIMARY KEY (installation_id, confirmation_id)
	);
	CREATE TABLE return_items (
		item_id TEXT COLLATE "C" PRIMARY KEY,
		return_id TEXT COLLATE "C" NOT NULL,
		device_key TEXT COLLATE "C" NOT NULL,
		activation_id TEXT COLLATE "C" NOT NULL,
		installation_id TEXT COLLATE "C" NOT NULL,
		confirmation_id TEXT COLLATE "C" NOT NULL,
		key_partial TEXT COLLATE "C" NOT NULL,
		written_at TEXT COLLATE "C" NOT NULL,
		written_by TEXT COLLATE "C" NOT NULL,
		file_name TEXT COLLATE "C" NOT NULL
	);
	CREATE INDEX return_items_device ON return_items(device_key);
	CREATE INDEX raw_member ON raw(member);`

// pgRestoresSchema is restoresSchema (migration 8) in PostgreSQL's SQL.
const pgRestoresSchema = `CREATE TABLE cid_restores (
		installation_id TEXT COLLATE "C" NOT NULL,
		confirmation_id TEXT COLLATE "C" NOT NULL,
		restored_at TEXT COLLATE "C" NOT NULL,
		restored_by TEXT COLLATE "C" NOT NULL,
		file_name TEXT COLLATE "C" NOT NULL,
		file_row BIGINT NOT NULL,
		PRIMARY KEY (installation_id, restored_at, confirmation_id)
	);`

// pgWords turns what SQLite spells its own way into PostgreSQL's, in the
// statements both stores run.
var pgWords = strings.NewReplacer(
	// SQLite's OR FAIL keeps it from journaling each statement for a
	// rollback of its own; PostgreSQL fails the statement either way,
	// and the whole transaction is rolled back.
	"INSERT OR FAIL INTO", "INSERT INTO",
	// SQLite's way to keep the join order; PostgreSQL plans it.
	"CROSS JOIN", "JOIN",
	"group_concat(", "string_agg(",
	"char(30)", "chr(30)",
	"char(31)", "chr(31)",
	"char(65533)", "chr(65533)",
	"json_group_array(json(coalesce(c.kms_hosts, '[]')))", "json_agg(coalesce(c.kms_hosts, '[]')::json)",
)

// pgRewrite turns a statement written for SQLite into PostgreSQL's: the
// words of pgWords, and "?" and "?N" parameters into "$N" (outside
// quoted text).
func pgRewrite(q string) string {
	q = pgWords.Replace(q)
	var b strings.Builder
	b.Grow(len(q) + len(q)/8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
