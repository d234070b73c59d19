import type { MigrationSet } from '../marketplace/db/migrate.ts';

/** The local-only schema (PGlite in the data folder): installed copies, run history, outbox, catalog cache. */
const initial = `
CREATE SCHEMA library;

CREATE TABLE library.installed (
  name text PRIMARY KEY,
  version text NOT NULL,
  code text NOT NULL,
  manifest jsonb NOT NULL,
  sha256 text NOT NULL,
  signature text NOT NULL,
  public_key text NOT NULL,
  fingerprint text NOT NULL,
  owner text NOT NULL,
  source text NOT NULL CHECK (source IN ('marketplace', 'bundle')),
  marketplace text,
  revoked boolean NOT NULL DEFAULT false,
  revoked_reason text,
  latest_known text,
  checked_at timestamptz,
  installed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE library.runs (
  id bigserial PRIMARY KEY,
  plugin text NOT NULL,
  version text,
  input text NOT NULL,
  output text NOT NULL,
  logs text NOT NULL DEFAULT '',
  error jsonb,
  ai_calls jsonb NOT NULL DEFAULT '[]',
  duration_ms double precision NOT NULL,
  engine text,
  ok boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_by_plugin ON library.runs (plugin, created_at DESC);

CREATE TABLE library.outbox (
  id uuid PRIMARY KEY,
  marketplace text NOT NULL,
  plugin text NOT NULL,
  version text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
-- Pressing "publish" twice for one version queues it once.
CREATE UNIQUE INDEX outbox_once_per_version ON library.outbox (marketplace, plugin, version) WHERE status <> 'failed';

CREATE TABLE library.catalog_cache (
  marketplace text NOT NULL,
  name text NOT NULL,
  owner text NOT NULL,
  description text NOT NULL,
  tags text[] NOT NULL,
  latest_version text,
  downloads bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  cached_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (marketplace, name)
);`;

const cacheExtras = `
ALTER TABLE library.catalog_cache
  ADD COLUMN owner_fingerprint text,
  ADD COLUMN models text[] NOT NULL DEFAULT '{}';`;

// The app's history lives here too: runs of Builder drafts have no plugin name, each run says
// which screen or tool it came from, and the app looks runs up by its own key.
const runsForTheApp = `
ALTER TABLE library.runs
  ADD COLUMN run_key text UNIQUE,
  ADD COLUMN source text NOT NULL DEFAULT 'cli',
  ALTER COLUMN plugin DROP NOT NULL;
CREATE INDEX runs_by_time ON library.runs (created_at DESC, id DESC);`;

// When each marketplace's catalog was last copied for offline use: the copy's throttle must outlive
// the process (and the idle-closed connection) that made it.
const catalogCopies = `
CREATE TABLE library.catalog_copies (
  marketplace text PRIMARY KEY,
  copied_at timestamptz NOT NULL
);`;

// The key each installed name is pinned to, apart from the copy so a rewritten copy cannot vouch for
// itself (key-pins.ts); copies installed before start pinned to their own key.
const keyPins = `
CREATE TABLE library.key_pins (
  name text PRIMARY KEY,
  public_key text NOT NULL,
  fingerprint text NOT NULL,
  source text NOT NULL CHECK (source IN ('marketplace', 'bundle')),
  pinned_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO library.key_pins (name, public_key, fingerprint, source) SELECT name, public_key, fingerprint, source FROM library.installed;`;

// The author's display name, so an offline card shows who published it and search finds it by them.
const cachedOwnerNames = `ALTER TABLE library.catalog_cache ADD COLUMN owner_name text;`;

// A multi-file plugin's other files by path; {} for a single-file copy (every copy installed before).
const installedFiles = `ALTER TABLE library.installed ADD COLUMN files jsonb NOT NULL DEFAULT '{}'::jsonb;`;

export const LIBRARY_MIGRATIONS: MigrationSet = {
  name: 'library',
  migrations: [
    { version: 1, name: 'installed, runs, outbox, catalog cache', sql: initial },
    { version: 2, name: 'catalog cache: owner key and models', sql: cacheExtras },
    { version: 3, name: 'runs: key, source, runs without a plugin', sql: runsForTheApp },
    { version: 4, name: 'catalog copies: when each was made', sql: catalogCopies },
    { version: 5, name: 'key pins apart from installed copies', sql: keyPins },
    { version: 6, name: "catalog cache: the owner's display name", sql: cachedOwnerNames },
    { version: 7, name: "installed copies: a multi-file plugin's other files", sql: installedFiles },
  ],
};
