import type { MigrationSet } from './migrate.ts';

/**
 * The shared marketplace schema. Ownership is enforced here, by PostgreSQL, not by the client:
 * every author is a login role that is a member of `wasmforge_author`; tables have row-level
 * security keyed on `current_user`, and column-level grants leave no column through which an
 * author could re-own a plugin, rewrite published code or inflate someone's counters directly.
 * See docs in src/marketplace/index.ts and /tmp/team/notes-marketplace.md.
 */
const authorRole = `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wasmforge_author') THEN
    CREATE ROLE wasmforge_author NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database created it meanwhile
END $$;`;

const tables = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA marketplace;

CREATE FUNCTION marketplace.valid_tags(tags text[]) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(bool_and(t ~ '^[a-z0-9][a-z0-9-]{0,31}$'), true) FROM unnest(tags) AS t $$;
-- array_to_string is only STABLE in general; for text[] it is immutable, which a generated column needs.
CREATE FUNCTION marketplace.search_document(name text, description text, tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT lower(name || ' ' || description || ' ' || array_to_string(tags, ' ')) $$;

CREATE TABLE marketplace.authors (
  role_name text PRIMARY KEY DEFAULT current_user,
  public_key text NOT NULL CHECK (public_key ~ '^[A-Za-z0-9_-]{43}$'),
  fingerprint text NOT NULL UNIQUE CHECK (length(fingerprint) BETWEEN 16 AND 100),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace.plugins (
  name text PRIMARY KEY CHECK (length(name) BETWEEN 2 AND 64 AND name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  owner text NOT NULL DEFAULT current_user REFERENCES marketplace.authors (role_name),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10 AND marketplace.valid_tags(tags)),
  latest_version text,
  downloads bigint NOT NULL DEFAULT 0 CHECK (downloads >= 0),
  search_document text GENERATED ALWAYS AS (marketplace.search_document(name, description, tags)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plugins_search_trgm ON marketplace.plugins USING gin (search_document gin_trgm_ops);
CREATE INDEX plugins_tags ON marketplace.plugins USING gin (tags);
CREATE INDEX plugins_by_downloads ON marketplace.plugins (downloads DESC, name);
CREATE INDEX plugins_by_updated ON marketplace.plugins (updated_at DESC, name);

CREATE TABLE marketplace.versions (
  plugin text NOT NULL REFERENCES marketplace.plugins (name) ON DELETE CASCADE,
  version text NOT NULL CHECK (length(version) BETWEEN 5 AND 64),
  code text NOT NULL CHECK (octet_length(code) <= 1048576),
  manifest jsonb NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  signature text NOT NULL CHECK (length(signature) BETWEEN 80 AND 100),
  signer text NOT NULL DEFAULT current_user,
  fingerprint text NOT NULL,
  publish_id uuid NOT NULL UNIQUE,
  yanked boolean NOT NULL DEFAULT false,
  yank_reason text CHECK (length(yank_reason) <= 500),
  yanked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin, version)
);
CREATE INDEX versions_by_plugin ON marketplace.versions (plugin, created_at DESC);`;

const security = `
ALTER TABLE marketplace.authors ENABLE ROW LEVEL SECURITY;
ALTER TABLE marketplace.plugins ENABLE ROW LEVEL SECURITY;
ALTER TABLE marketplace.versions ENABLE ROW LEVEL SECURITY;

CREATE POLICY authors_read ON marketplace.authors FOR SELECT USING (true);
CREATE POLICY authors_register ON marketplace.authors FOR INSERT WITH CHECK (role_name = current_user);

CREATE POLICY plugins_read ON marketplace.plugins FOR SELECT USING (true);
CREATE POLICY plugins_create ON marketplace.plugins FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY plugins_update ON marketplace.plugins FOR UPDATE
  USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY plugins_delete ON marketplace.plugins FOR DELETE USING (owner = current_user);

CREATE POLICY versions_read ON marketplace.versions FOR SELECT USING (true);
CREATE POLICY versions_publish ON marketplace.versions FOR INSERT WITH CHECK (
  signer = current_user
  AND EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = current_user)
  AND EXISTS (SELECT 1 FROM marketplace.authors a WHERE a.role_name = current_user AND a.fingerprint = versions.fingerprint));
CREATE POLICY versions_yank ON marketplace.versions FOR UPDATE
  USING (EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = current_user))
  WITH CHECK (EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = current_user));

-- Downloads are counted for everyone's plugins, so they go through one narrow definer function.
CREATE FUNCTION marketplace.record_download(p_plugin text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ UPDATE marketplace.plugins SET downloads = downloads + 1 WHERE name = p_plugin $$;

REVOKE ALL ON ALL TABLES IN SCHEMA marketplace FROM PUBLIC;
REVOKE ALL ON FUNCTION marketplace.record_download(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA marketplace TO wasmforge_author;
GRANT SELECT ON marketplace.authors, marketplace.plugins, marketplace.versions TO wasmforge_author;
GRANT SELECT ON public.wasmforge_migrations TO wasmforge_author;
GRANT INSERT (public_key, fingerprint) ON marketplace.authors TO wasmforge_author;
GRANT INSERT (name, description, tags) ON marketplace.plugins TO wasmforge_author;
GRANT UPDATE (description, tags, latest_version, updated_at) ON marketplace.plugins TO wasmforge_author;
GRANT DELETE ON marketplace.plugins TO wasmforge_author;
GRANT INSERT (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
  ON marketplace.versions TO wasmforge_author;
GRANT UPDATE (yanked, yank_reason, yanked_at) ON marketplace.versions TO wasmforge_author;
GRANT EXECUTE ON FUNCTION marketplace.record_download(text) TO wasmforge_author;`;

export const MARKETPLACE_MIGRATIONS: MigrationSet = {
  name: 'marketplace',
  migrations: [
    { version: 1, name: 'author role', sql: authorRole },
    { version: 2, name: 'plugins and versions', sql: tables },
    { version: 3, name: 'row-level security and grants', sql: security },
  ],
};
