import { CALL_STATUSES, CALL_STATUS_STAGE } from '@switchboard/core';
import { DEFAULT_STATUS_TIME, MAP_FIELDS, SCALAR_FIELDS, type ScalarField } from './call-fields.js';
import { callViewJsonSql } from './call-view.js';

/**
 * The statement that stores a batch of normalized call events (CALL_STORE_SQL): it folds the events
 * into `calls`, records each event in `call_events` and marks its inbox row processed. One
 * statement, so each event's JSON is sent and parsed once (it is also the call_events row's data).
 *
 * Merge rule (a join-semilattice, so the result does not depend on arrival order or repeats):
 * - status: the greatest (stage, occurredAt, status) wins — never back to an earlier stage
 *   (CALL_STATUS_STAGE), and within a stage the newer event wins;
 * - every other field: of the events that carried a value, the greatest (occurredAt, value)
 *   wins ("newest non-null wins"; the value only breaks exact time ties, deterministically);
 *   provider_data counts as one value (the newest payload), an empty one as "not carried";
 * - tags: the same, key by key;
 * - last_event_at: the newest occurredAt seen.
 * `calls.field_times` keeps the time (epoch ms) of each value the row holds, which is what lets an
 * older event fill a field the newer ones never carried without overwriting anything newer. A
 * value written without a time (another writer) counts as written at the row's last_event_at.
 *
 * The rule is enforced inside the one INSERT ... ON CONFLICT DO UPDATE, against the row as it is
 * when the statement gets its lock, so two workers racing on a call cannot lose each other's
 * fields. Inside one batch the events of a call are folded first (GROUP BY, the same rule as
 * aggregates), because one statement may touch a row only once; rows go in key order so concurrent
 * batches lock calls in the same order and cannot deadlock each other.
 */

const STAGE_CASE = (expr: string) =>
  `(CASE ${expr} ${CALL_STATUSES.map((s) => `WHEN '${s}' THEN ${CALL_STATUS_STAGE[s]}`).join(' ')} END)`;

/** The expression values are ordered by when times tie (byte order for text, canonical text for JSON). */
function orderValue(field: ScalarField, expr: string): string {
  if (field.kind === 'text') return `${expr} COLLATE "C"`;
  if (field.kind === 'jsonb') return `${expr}::text COLLATE "C"`;
  return expr;
}

const present = (field: ScalarField, expr: string) =>
  field.kind === 'jsonb' ? `(${expr} IS NOT NULL AND ${expr} <> '{}'::jsonb)` : `${expr} IS NOT NULL`;

const SQL_TYPE: Record<ScalarField['kind'], string> = {
  text: 'text',
  timestamptz: 'timestamptz',
  integer: 'integer',
  boolean: 'boolean',
  numeric: 'numeric',
  jsonb: 'jsonb',
};

/** Epoch ms of the row's last_event_at: the time assumed for a value written without one. */
const ROW_LAST_MS = `(extract(epoch FROM c.last_event_at) * 1000)::bigint`;
const oldTime = (key: string) => `COALESCE((c.field_times->>'${key}')::bigint, ${ROW_LAST_MS})`;
const newTime = (key: string) => `(EXCLUDED.field_times->>'${key}')::bigint`;

/** Columns of an event element's delivery part (see eventElement): who sent it, when, from where. */
const DELIVERY_COLUMNS = [
  'webhook_log_id uuid',
  'webhook_log_created_at timestamptz',
  'connection_id uuid',
  'provider text',
  'source text',
  'event_type text',
  't bigint',
  'occurred_at timestamptz',
];

/** Columns of an event element's `data` (the call as the event told it; also call_events.data). */
const DATA_COLUMNS = [
  'external_id text',
  'status call_status',
  ...SCALAR_FIELDS.map((f) => `${f.column} ${SQL_TYPE[f.kind]}`),
  ...MAP_FIELDS.map((m) => `${m} jsonb`),
];

/** Folds the batch's events per call and per key of a map field. */
function mapFold(field: string): string {
  return `${field}_fold AS (
    SELECT connection_id, external_id, jsonb_object_agg(key, value) AS vals, jsonb_object_agg(key, t) AS times
    FROM (
      SELECT DISTINCT ON (f.connection_id, f.external_id, kv.key) f.connection_id, f.external_id, kv.key, kv.value, f.t
      FROM fresh f, jsonb_each(COALESCE(f.${field}, '{}'::jsonb)) kv
      ORDER BY f.connection_id, f.external_id, kv.key, f.t DESC, kv.value DESC
    ) w
    GROUP BY connection_id, external_id
  )`;
}

/** Merges a map field of the stored row with the incoming one, key by key. */
function mapMerge(field: string): string {
  return `LEFT JOIN LATERAL (
      SELECT jsonb_object_agg(key, value) AS vals, jsonb_object_agg(key, t) AS times
      FROM (
        SELECT DISTINCT ON (key) key, value, t FROM (
          SELECT o.key, o.value, COALESCE((c.field_times->'${field}'->>o.key)::bigint, ${ROW_LAST_MS}) AS t
          FROM jsonb_each(c.${field}) o
          UNION ALL
          SELECT n.key, n.value, (EXCLUDED.field_times->'${field}'->>n.key)::bigint FROM jsonb_each(EXCLUDED.${field}) n
        ) u
        ORDER BY key, t DESC, value DESC
      ) w
      WHERE EXCLUDED.${field} <> '{}'::jsonb
    ) m_${field} ON true`;
}

function buildCallUpsertSql(): string {
  const statusOrder = `${STAGE_CASE('f.status')} DESC, f.t DESC, f.status DESC`;
  const folded = [
    `(array_agg(f.status ORDER BY ${statusOrder}) FILTER (WHERE f.status IS NOT NULL))[1] AS status`,
    `(array_agg(f.t ORDER BY ${statusOrder}) FILTER (WHERE f.status IS NOT NULL))[1] AS status_t`,
    ...SCALAR_FIELDS.flatMap((field) => [
      `(array_agg(f.${field.column} ORDER BY f.t DESC, ${orderValue(field, `f.${field.column}`)} DESC) FILTER (WHERE ${present(field, `f.${field.column}`)}))[1] AS ${field.column}`,
      `max(f.t) FILTER (WHERE ${present(field, `f.${field.column}`)}) AS ${field.column}_t`,
    ]),
  ];

  const insertColumns = [
    'connection_id',
    'provider',
    'external_id',
    'status',
    ...SCALAR_FIELDS.map((f) => f.column),
    ...MAP_FIELDS,
    'field_times',
    'last_event_at',
    'last_synced_at',
  ];
  const fieldTimesOnInsert = `jsonb_strip_nulls(jsonb_build_object('status', COALESCE(fo.status_t, ${DEFAULT_STATUS_TIME}), ${SCALAR_FIELDS.map(
    (f) => `'${f.column}', fo.${f.column}_t`,
  ).join(', ')}, ${MAP_FIELDS.map((m) => `'${m}', ${m}_fold.times`).join(', ')}))`;
  const insertValues = [
    'fo.connection_id',
    'fo.provider',
    'fo.external_id',
    `COALESCE(fo.status, 'ringing')`,
    ...SCALAR_FIELDS.map((f) =>
      f.kind === 'jsonb' ? `COALESCE(fo.${f.column}, '{}'::jsonb)` : `fo.${f.column}`,
    ),
    ...MAP_FIELDS.map((m) => `COALESCE(${m}_fold.vals, '{}'::jsonb)`),
    fieldTimesOnInsert,
    'fo.last_event_at',
    'fo.last_synced_at',
  ];

  // "Does the incoming value win?" once per field, then used for both the value and its time.
  const wins = [
    `ROW(${STAGE_CASE('EXCLUDED.status')}, ${newTime('status')}, EXCLUDED.status) > ROW(${STAGE_CASE('c.status')}, ${oldTime('status')}, c.status) AS status_wins`,
    ...SCALAR_FIELDS.map(
      (f) =>
        `(${present(f, `EXCLUDED.${f.column}`)} AND (NOT ${present(f, `c.${f.column}`)} OR ROW(${newTime(f.column)}, ${orderValue(f, `EXCLUDED.${f.column}`)}) > ROW(${oldTime(f.column)}, ${orderValue(f, `c.${f.column}`)}))) AS ${f.column}_wins`,
    ),
  ];
  const pick = (wins: string, incoming: string, stored: string) =>
    `CASE WHEN w.${wins} THEN ${incoming} ELSE ${stored} END`;
  const updateColumns = [
    'status',
    ...SCALAR_FIELDS.map((f) => f.column),
    ...MAP_FIELDS,
    'field_times',
    'last_event_at',
    'last_synced_at',
    'version',
    'updated_at',
  ];
  const fieldTimesOnUpdate = `jsonb_strip_nulls(jsonb_build_object('status', ${pick('status_wins', newTime('status'), oldTime('status'))}, ${SCALAR_FIELDS.map(
    (f) =>
      `'${f.column}', ${pick(`${f.column}_wins`, newTime(f.column), `CASE WHEN ${present(f, `c.${f.column}`)} THEN ${oldTime(f.column)} END`)}`,
  ).join(', ')}, ${MAP_FIELDS.map(
    (m) => `'${m}', CASE WHEN EXCLUDED.${m} = '{}'::jsonb THEN c.field_times->'${m}' ELSE m_${m}.times END`,
  ).join(', ')}))`;
  const updateValues = [
    pick('status_wins', 'EXCLUDED.status', 'c.status'),
    ...SCALAR_FIELDS.map((f) => pick(`${f.column}_wins`, `EXCLUDED.${f.column}`, `c.${f.column}`)),
    ...MAP_FIELDS.map(
      (m) => `CASE WHEN EXCLUDED.${m} = '{}'::jsonb THEN c.${m} ELSE COALESCE(m_${m}.vals, '{}'::jsonb) END`,
    ),
    fieldTimesOnUpdate,
    'GREATEST(c.last_event_at, EXCLUDED.last_event_at)',
    // GREATEST ignores NULL: a webhook (no sync time) keeps the last sync's stamp.
    'GREATEST(c.last_synced_at, EXCLUDED.last_synced_at)',
    'c.version + 1',
    'now()',
  ];

  return `WITH input AS (
  SELECT x.*, d.*, el->'data' AS data
  FROM jsonb_array_elements($1::jsonb) AS el,
    jsonb_to_record(el) AS x(${DELIVERY_COLUMNS.join(', ')}),
    jsonb_to_record(el->'data') AS d(${DATA_COLUMNS.join(', ')})
),
fresh AS (
  -- A redelivered event (its inbox row already produced a call_events row) changes nothing; a
  -- duplicate this snapshot cannot see yet is harmless too, because the merge is idempotent.
  -- Events without an inbox row (syncs) cannot be redeliveries and are not looked up at all; the
  -- correlated NOT EXISTS under OR stays a per-row probe of the unique index (webhook_log_id,
  -- created_at), never a hash of the whole table. With the inbox row's created_at (the worker
  -- passes it) the probe is pruned to one partition; without it, every partition is probed.
  -- OFFSET 0 keeps each probe a probe: without it the planner may turn NOT EXISTS into a hash of
  -- the whole call_events partition, built for every batch (it counts on 100 input rows, and a
  -- month's partition starts small), and the prepared statement keeps that plan as the partition
  -- grows (seen in bench:pipeline as PostgreSQL's CPU per event growing with the table).
  SELECT i.* FROM input i
  WHERE i.webhook_log_id IS NULL
    OR (i.webhook_log_created_at IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM call_events ce
      WHERE ce.webhook_log_id = i.webhook_log_id AND ce.created_at = i.webhook_log_created_at OFFSET 0))
    OR (i.webhook_log_created_at IS NULL AND NOT EXISTS (
      SELECT 1 FROM call_events ce WHERE ce.webhook_log_id = i.webhook_log_id OFFSET 0))
),
${MAP_FIELDS.map(mapFold).join(',\n')},
folded AS (
  SELECT f.connection_id, f.external_id, min(f.provider) AS provider, max(f.occurred_at) AS last_event_at,
    max(f.occurred_at) FILTER (WHERE f.source = 'sync') AS last_synced_at,
    ${folded.join(',\n    ')}
  FROM fresh f
  GROUP BY f.connection_id, f.external_id
),
upserted AS (
INSERT INTO calls AS c (${insertColumns.join(', ')})
SELECT ${insertValues.join(', ')}
FROM folded fo
${MAP_FIELDS.map((m) => `LEFT JOIN ${m}_fold USING (connection_id, external_id)`).join('\n')}
ORDER BY fo.connection_id, fo.external_id
ON CONFLICT (connection_id, external_id) DO UPDATE SET (${updateColumns.join(', ')}) = (
  SELECT ${updateValues.join(',\n    ')}
  FROM (SELECT ${wins.join(',\n    ')}) w
  ${MAP_FIELDS.map(mapMerge).join('\n  ')}
)
RETURNING c.id, c.connection_id, c.external_id, c.version, ${callViewJsonSql('c')} AS view_json
),
recorded AS (
  -- call_events is partitioned by created_at, so its unique index is (webhook_log_id, created_at):
  -- an event from a webhook takes its inbox row's created_at, which every redelivery of that row
  -- computes the same, so the pair is as unique as webhook_log_id. (Without an inbox row, e.g. one
  -- already dropped by retention, the event's own time, equally the same for every redelivery;
  -- sync events have no inbox row: now(). The inbox row is looked up only when the caller did not
  -- pass its created_at.) Every event of a call the upsert touched is offered; a redelivery's
  -- conflicts and is not returned.
  INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, data, created_at)
  SELECT u.id, i.connection_id, i.webhook_log_id, i.source, i.event_type, i.occurred_at, i.data,
    CASE WHEN i.webhook_log_id IS NULL THEN now() ELSE COALESCE(
      i.webhook_log_created_at,
      (SELECT wl.created_at FROM webhook_logs wl WHERE wl.id = i.webhook_log_id LIMIT 1),
      i.occurred_at) END
  FROM input i JOIN upserted u ON u.connection_id = i.connection_id AND u.external_id = i.external_id
  ON CONFLICT (webhook_log_id, created_at) DO NOTHING
  RETURNING webhook_log_id
),
processed AS (
  UPDATE webhook_logs wl
  SET status = 'processed', attempts = x.attempts, error = NULL, processed_at = now(), updated_at = now(),
    mapping_warnings = x.mapping_warnings
  FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, created_at timestamptz, attempts integer, mapping_warnings jsonb)
  -- Written so that no hash join is possible (no equality join clause), only a probe of the
  -- primary key per row, in the one partition the created_at range prunes to at run time: with a
  -- plain "wl.id = x.id AND wl.created_at = x.created_at" the planner hashed a whole small
  -- partition, and the prepared statement kept that plan as the partition grew (bench:scale).
  WHERE wl.id = ANY (ARRAY[x.id]) AND wl.created_at >= x.created_at AND wl.created_at <= x.created_at
  RETURNING wl.id
)
SELECT id, connection_id, external_id, version, view_json, NULL::uuid AS recorded_webhook_log_id FROM upserted
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, webhook_log_id FROM recorded WHERE webhook_log_id IS NOT NULL`;
}

/**
 * $1: jsonb array of event elements (see eventElement); $2: jsonb array of {id, created_at,
 * attempts, mapping_warnings?} of the inbox rows to mark processed (their mapping warnings replace
 * any an earlier attempt left). One statement: the calls are upserted, every event of a call it
 * touched is recorded in call_events, and the inbox rows are marked processed. Returns each call
 * touched with its view as JSON text (built here, so the worker hands it to the cache and the live
 * stream as is), then one row per inbox id whose event was recorded now (not by an earlier
 * delivery). Both call_events and webhook_logs are partitioned by created_at: given the inbox row's
 * created_at, each row is found in its one partition instead of probing every partition by id.
 */
export const CALL_STORE_SQL = buildCallUpsertSql();
