import { randomBytes } from 'node:crypto';

/** A Redis key prefix no other test file uses, so suites can share one Redis server. */
export function uniqueRedisPrefix(label = 't'): string {
  return `sbt-${label}-${randomBytes(4).toString('hex')}`;
}
