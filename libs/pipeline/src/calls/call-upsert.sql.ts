import { CALL_STATUSES, CALL_STATUS_STAGE } from '@switchboard/core';
import { DEFAULT_STATUS_TIME, MAP_FIELDS, SCALAR_FIELDS, type ScalarField } from './call-fields.js';

/**
 * The one statement that folds a batch of normalized call events into `calls`, records each in
 * `call_events` and marks their inbox rows processed — atomically, and in a way two workers racing
 * on the same call cannot break.
 *
 * Merge rule (a join-semilattice, so the result does not depend on arrival order or repeats):
 * - status: the greatest (stage, occurredAt, status) wins — never back to an earlier stage
 *   (CALL_STATUS_STAGE), and within a stage the newer event wins;
 * - every other scalar field: of the events that carried a non-null value, the greatest
 *   (occurredAt, value) wins ("newest non-null wins"; the value only breaks exact time ties);
 * - tags and provider_data: the same, key by key;
 * - last_event_at: the newest occurredAt seen.
 * `calls.field_times` keeps the time of each value the row holds, which is what lets an older
 * event fill a field the newer ones never carried without overwriting anything newer.
 *
 * Inside one batch the events of a call are folded first (GROUP BY, same rule as aggregates),
 * because one INSERT ... ON CONFLICT may touch a row only once; rows go in key order so
 * concurrent batches lock calls in the same order and cannot deadlock each other.
 *
 * $1: jsonb array of event rows (see CallEventRow); $2: jsonb array of {id, attempts} of the
 * webhook_logs rows to mark processed.
 */

const STAGE_CASE = (expr: string) =>
  `(CASE ${expr} ${CALL_STATUSES.map((s) => `WHEN '${s}' THEN ${CALL_STATUS_STAGE[s]}`).join(' ')} END)`;

const collate = (field: ScalarField, expr: string) => (field.kind === 'text' ? `${expr} COLLATE "C"` : expr);

const SQL_TYPE: Record<ScalarField['kind'], string> = {
  text: 'text',
  timestamptz: 'timestamptz',
  integer: 'integer',
  boolean: 'boolean',
  numeric: 'numeric',
};

/** Epoch ms of the row's last_event_at: the time assumed for a value written without one. */
const ROW_LAST_MS = `(extract(epoch FROM c.last_event_at) * 1000)::bigint`;
const oldTime = (key: string) => `COALESCE((c.field_times->>'${key}')::bigint, ${ROW_LAST_MS})`;
const newTime = (key: string) => `(EXCLUDED.field_times->>'${key}')::bigint`;

const INPUT_COLUMNS = [
  'webhook_log_id uuid',
  'connection_id uuid',
  'provider text',
  'external_id text',
  'event_id text',
  'event_type text',
  'source text',
  'occurred_at timestamptz',
  't bigint',
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
      `(array_agg(f.${field.column} ORDER BY f.t DESC, ${collate(field, `f.${field.column}`)} DESC) FILTER (WHERE f.${field.column} IS NOT NULL))[1] AS ${field.column}`,
      `max(f.t) FILTER (WHERE f.${field.column} IS NOT NULL) AS ${field.column}_t`,
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
  ];
  const fieldTimesOnInsert = `jsonb_strip_nulls(jsonb_build_object('status', COALESCE(fo.status_t, ${DEFAULT_STATUS_TIME}), ${SCALAR_FIELDS.map(
    (f) => `'${f.column}', fo.${f.column}_t`,
  ).join(', ')}, ${MAP_FIELDS.map((m) => `'${m}', ${m}_fold.times`).join(', ')}))`;
  const insertValues = [
    'fo.connection_id',
    'fo.provider',
    'fo.external_id',
    `COALESCE(fo.status, 'ringing')`,
    ...SCALAR_FIELDS.map((f) => `fo.${f.column}`),
    ...MAP_FIELDS.map((m) => `COALESCE(${m}_fold.vals, '{}'::jsonb)`),
    fieldTimesOnInsert,
    'fo.last_event_at',
  ];

  // "Does the incoming value win?" once per field, then used for both the value and its time.
  const wins = [
    `ROW(${STAGE_CASE('EXCLUDED.status')}, ${newTime('status')}, EXCLUDED.status) > ROW(${STAGE_CASE('c.status')}, ${oldTime('status')}, c.status) AS status_wins`,
    ...SCALAR_FIELDS.map(
      (f) =>
        `(EXCLUDED.${f.column} IS NOT NULL AND (c.${f.column} IS NULL OR ROW(${newTime(f.column)}, ${collate(f, `EXCLUDED.${f.column}`)}) > ROW(${oldTime(f.column)}, ${collate(f, `c.${f.column}`)}))) AS ${f.column}_wins`,
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
    'version',
    'updated_at',
  ];
  const fieldTimesOnUpdate = `jsonb_strip_nulls(jsonb_build_object('status', ${pick('status_wins', newTime('status'), oldTime('status'))}, ${SCALAR_FIELDS.map(
    (f) =>
      `'${f.column}', ${pick(`${f.column}_wins`, newTime(f.column), `CASE WHEN c.${f.column} IS NULL THEN NULL ELSE ${oldTime(f.column)} END`)}`,
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
    'c.version + 1',
    'now()',
  ];

  return `WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(${INPUT_COLUMNS.join(', ')})
),
fresh AS (
  -- A redelivered event (its inbox row already produced a call_events row) changes nothing; a
  -- duplicate this snapshot cannot see yet is harmless too, because the merge is idempotent.
  SELECT i.* FROM input i
  WHERE i.webhook_log_id IS NULL
     OR NOT EXISTS (SELECT 1 FROM call_events ce WHERE ce.webhook_log_id = i.webhook_log_id)
),
${MAP_FIELDS.map(mapFold).join(',\n')},
folded AS (
  SELECT f.connection_id, f.external_id, min(f.provider) AS provider, max(f.occurred_at) AS last_event_at,
    ${folded.join(',\n    ')}
  FROM fresh f
  GROUP BY f.connection_id, f.external_id
),
up AS (
  INSERT INTO calls AS c (${insertColumns.join(', ')})
  SELECT ${insertValues.join(', ')}
  FROM folded fo
  ${MAP_FIELDS.map((m) => `LEFT JOIN ${m}_fold USING (connection_id, external_id)`).join('\n  ')}
  ORDER BY fo.connection_id, fo.external_id
  ON CONFLICT (connection_id, external_id) DO UPDATE SET (${updateColumns.join(', ')}) = (
    SELECT ${updateValues.join(',\n      ')}
    FROM (SELECT ${wins.join(',\n      ')}) w
    ${MAP_FIELDS.map(mapMerge).join('\n    ')}
  )
  RETURNING c.*
),
ev AS (
  INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, data)
  SELECT up.id, f.connection_id, f.webhook_log_id, f.source, f.event_type, f.occurred_at,
    jsonb_strip_nulls(to_jsonb(f) - ARRAY['webhook_log_id', 'connection_id', 'provider', 'source', 'event_type', 'occurred_at', 't'])
  FROM fresh f
  JOIN up ON up.connection_id = f.connection_id AND up.external_id = f.external_id
  ON CONFLICT (webhook_log_id) DO NOTHING
  RETURNING call_id, webhook_log_id, event_type, occurred_at
),
logs AS (
  UPDATE webhook_logs wl
  SET status = 'processed', attempts = x.attempts, error = NULL, processed_at = now(), updated_at = now()
  FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, attempts integer)
  WHERE wl.id = x.id
  RETURNING wl.id
)
SELECT up.*, ev_agg.new_events
FROM up
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('webhookLogId', ev.webhook_log_id, 'eventType', ev.event_type, 'occurredAt', ev.occurred_at)
                  ORDER BY ev.occurred_at) AS new_events
  FROM ev WHERE ev.call_id = up.id
) ev_agg ON true`;
}

export const CALL_UPSERT_SQL = buildCallUpsertSql();
