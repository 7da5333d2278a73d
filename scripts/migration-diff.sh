#!/usr/bin/env bash
# Prints the SQL that turns one schema file into another, offline, with Prisma 6's WebAssembly
# schema engine (Prisma 7's CLI needs a native engine that cannot be downloaded here).
#   scripts/migration-diff.sh [FROM_SCHEMA|--empty] [TO_SCHEMA]   (TO defaults to prisma/schema.prisma)
# Typical use when changing the model:
#   git show HEAD:prisma/schema.prisma > /tmp/old.prisma
#   scripts/migration-diff.sh /tmp/old.prisma > prisma/migrations/$(date -u +%Y%m%d%H%M%S)_name/migration.sql
set -euo pipefail
from=${1:---empty}; to=${2:-prisma/schema.prisma}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${SWITCHBOARD_PRISMA6_DIR:-$root/.data/prisma6}
mkdir -p "$work"
if [ ! -x "$work/node_modules/.bin/prisma" ]; then
  (cd "$work" && [ -f package.json ] || echo '{"private":true}' > package.json
   cd "$work" && npm install --silent --no-audit --no-fund prisma@6.19 @prisma/adapter-pg@6.19 >&2)
fi
cat > "$work/prisma.config.ts" <<'TS'
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }),
});
TS
# The engine opens a connection through the adapter even for schema-to-schema diffs (DATABASE_URL).
# Prisma 6 wants a datasource url in the schema file; Prisma 7 keeps it in prisma.config.ts.
prep() { sed 's/provider = "postgresql"/provider = "postgresql"\n  url      = "postgresql:\/\/unused@127.0.0.1\/unused"/' "$1" > "$2"; }
prep "$root/$to" "$work/to.prisma"
if [ "$from" = "--empty" ]; then fromArgs=(--from-empty); else prep "$from" "$work/from.prisma"; fromArgs=(--from-schema-datamodel "$work/from.prisma"); fi
cd "$work"
PRISMA_QUERY_ENGINE_LIBRARY=$(command -v node) PRISMA_SCHEMA_ENGINE_BINARY=$(command -v node) PRISMA_HIDE_UPDATE_MESSAGE=1 \
  ./node_modules/.bin/prisma migrate diff "${fromArgs[@]}" --to-schema-datamodel to.prisma --script 2> >(grep -v -e nodedir -e 'Loaded Prisma config' >&2)
