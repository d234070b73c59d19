import type { MigrationSet } from './migrate.ts';
import { authorBounds } from './schema-bounds.ts';
import { authorIdentity } from './schema-identity.ts';
import { authorDisplayNames } from './schema-display-names.ts';
import { versionFiles } from './schema-files.ts';
import { authorNamespace } from './schema-namespace.ts';

/**
 * The shared marketplace schema. Ownership is enforced here, by PostgreSQL, not by the client:
 * every author is a login role that is a member of `wasmforge_author`; tables have row-level
 * security keyed on `session_user` (migration 7; it was `current_user`), and column-level grants leave no column through which an
 * author could re-own a plugin, rewrite published code or inflate someone's counters directly.
 * Why the database and not the app: any author holds a connection URL and can send any SQL on it,
 * so every rule the client checks first (owner, version bump, yank) must also hold for raw SQL.
 * That only works when each author logs in as their own role with a password (scram in
 * pg_hba.conf); under `trust` auth anyone can connect as anyone.
 * Shipped migrations never change (their checksum is verified); new rules are new migrations.
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

// Semantic-version precedence (semver.org, item 11) for the strict versions the manifest accepts:
// no leading zeros, no build metadata. NULL when either side is not such a version. Numbers are
// compared as numeric so no size overflows; identifiers byte-wise, as npm's semver does.
const semverCompare = `
CREATE FUNCTION marketplace.semver_compare(a text, b text) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  identifier constant text := '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
  pattern constant text := '^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)(?:-(' || identifier || '(?:[.]' || identifier || ')*))?$';
  x text[] := regexp_match(a, pattern);
  y text[] := regexp_match(b, pattern);
  xs text[];
  ys text[];
  xi text;
  yi text;
BEGIN
  IF x IS NULL OR y IS NULL THEN RETURN NULL; END IF;
  FOR i IN 1..3 LOOP
    IF x[i]::numeric <> y[i]::numeric THEN RETURN sign(x[i]::numeric - y[i]::numeric)::integer; END IF;
  END LOOP;
  -- A release outranks its pre-releases.
  IF x[4] IS NULL OR y[4] IS NULL THEN
    RETURN CASE WHEN x[4] IS NULL AND y[4] IS NULL THEN 0 WHEN x[4] IS NULL THEN 1 ELSE -1 END;
  END IF;
  xs := string_to_array(x[4], '.');
  ys := string_to_array(y[4], '.');
  FOR i IN 1..least(cardinality(xs), cardinality(ys)) LOOP
    xi := xs[i];
    yi := ys[i];
    CONTINUE WHEN xi = yi;
    IF xi ~ '^[0-9]+$' AND yi ~ '^[0-9]+$' THEN RETURN sign(xi::numeric - yi::numeric)::integer; END IF;
    IF xi ~ '^[0-9]+$' THEN RETURN -1; END IF;
    IF yi ~ '^[0-9]+$' THEN RETURN 1; END IF;
    RETURN CASE WHEN xi COLLATE "C" < yi COLLATE "C" THEN -1 ELSE 1 END;
  END LOOP;
  RETURN sign(cardinality(xs) - cardinality(ys))::integer;
END $$;`;

// A published version is immutable and a name is never freed: only greater versions may follow
// (kept in plugins.newest_version, which only this trigger writes), a yank cannot be undone, and
// unpublishing hides the plugin and yanks every version but keeps the row, so the name stays its
// owner's. The newest-version check locks the plugin row, so concurrent inserts of one plugin
// serialize (READ COMMITTED) or fail with a serialization error (REPEATABLE READ and above).
const immutableVersions = `
ALTER TABLE marketplace.plugins ADD COLUMN newest_version text, ADD COLUMN unpublished_at timestamptz;
${semverCompare}

UPDATE marketplace.plugins p SET newest_version = (
  SELECT v.version FROM marketplace.versions v
  WHERE v.plugin = p.name AND marketplace.semver_compare(v.version, v.version) = 0
    AND NOT EXISTS (SELECT 1 FROM marketplace.versions w WHERE w.plugin = v.plugin AND marketplace.semver_compare(w.version, v.version) > 0)
  LIMIT 1);

CREATE FUNCTION marketplace.versions_only_go_up() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  newest text;
BEGIN
  IF marketplace.semver_compare(NEW.version, NEW.version) IS NULL THEN
    RAISE EXCEPTION '"%" is not a semantic version such as 1.0.0', NEW.version USING ERRCODE = 'WF003';
  END IF;
  SELECT p.newest_version INTO newest FROM marketplace.plugins p WHERE p.name = NEW.plugin FOR UPDATE;
  IF newest IS NOT NULL AND marketplace.semver_compare(NEW.version, newest) <= 0 THEN
    RAISE EXCEPTION '%@% is not greater than the latest published version %', NEW.plugin, NEW.version, newest
      USING ERRCODE = 'WF001';
  END IF;
  UPDATE marketplace.plugins SET newest_version = NEW.version WHERE name = NEW.plugin;
  RETURN NULL;
END $$;
CREATE TRIGGER versions_only_go_up AFTER INSERT ON marketplace.versions
  FOR EACH ROW EXECUTE FUNCTION marketplace.versions_only_go_up();

CREATE FUNCTION marketplace.yank_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.yanked AND NOT NEW.yanked THEN
    RAISE EXCEPTION '%@% was yanked, and a yanked version stays yanked', OLD.plugin, OLD.version
      USING ERRCODE = 'WF002', HINT = 'Publish a new version instead.';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER versions_yank_is_final BEFORE UPDATE ON marketplace.versions
  FOR EACH ROW EXECUTE FUNCTION marketplace.yank_is_final();

-- Runs as the owner who unpublishes: row-level security lets them yank only their own versions.
CREATE FUNCTION marketplace.unpublish_yanks_every_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE marketplace.versions SET yanked = true, yank_reason = coalesce(yank_reason, 'unpublished by its owner'),
    yanked_at = coalesce(yanked_at, now())
  WHERE plugin = NEW.name AND NOT yanked;
  NEW.latest_version := NULL;
  RETURN NEW;
END $$;
CREATE TRIGGER plugins_unpublish BEFORE UPDATE OF unpublished_at ON marketplace.plugins
  FOR EACH ROW WHEN (OLD.unpublished_at IS NULL AND NEW.unpublished_at IS NOT NULL)
  EXECUTE FUNCTION marketplace.unpublish_yanks_every_version();

DROP POLICY plugins_delete ON marketplace.plugins;
REVOKE DELETE ON marketplace.plugins FROM wasmforge_author;
GRANT UPDATE (unpublished_at) ON marketplace.plugins TO wasmforge_author;
ALTER TABLE marketplace.versions DROP CONSTRAINT versions_plugin_fkey,
  ADD CONSTRAINT versions_plugin_fkey FOREIGN KEY (plugin) REFERENCES marketplace.plugins (name) ON DELETE RESTRICT;`;

// A download counts once per plugin and database role (session_user: the login, which SET ROLE
// cannot change), however often an author calls record_download. Only the definer function
// touches the table; authors cannot read who downloaded what.
const downloadsOncePerRole = `
CREATE TABLE marketplace.downloads (
  plugin text NOT NULL REFERENCES marketplace.plugins (name) ON DELETE RESTRICT,
  downloader text NOT NULL,
  first_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin, downloader)
);
ALTER TABLE marketplace.downloads ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON marketplace.downloads FROM PUBLIC;

CREATE OR REPLACE FUNCTION marketplace.record_download(p_plugin text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO marketplace.downloads (plugin, downloader)
    SELECT p.name, session_user FROM marketplace.plugins p WHERE p.name = p_plugin AND p.unpublished_at IS NULL
    ON CONFLICT DO NOTHING;
  IF FOUND THEN
    UPDATE marketplace.plugins SET downloads = downloads + 1 WHERE name = p_plugin;
  END IF;
END $$;`;

// The refusal of a version that is not greater names the newest version in its DETAIL, so the
// client can suggest the next one without asking the database again (db/errors.ts).
const newestVersionInDetail = `
CREATE OR REPLACE FUNCTION marketplace.versions_only_go_up() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  newest text;
BEGIN
  IF marketplace.semver_compare(NEW.version, NEW.version) IS NULL THEN
    RAISE EXCEPTION '"%" is not a semantic version such as 1.0.0', NEW.version USING ERRCODE = 'WF003';
  END IF;
  SELECT p.newest_version INTO newest FROM marketplace.plugins p WHERE p.name = NEW.plugin FOR UPDATE;
  IF newest IS NOT NULL AND marketplace.semver_compare(NEW.version, newest) <= 0 THEN
    RAISE EXCEPTION '%@% is not greater than %, the latest published version', NEW.plugin, NEW.version, newest
      USING ERRCODE = 'WF001', DETAIL = newest;
  END IF;
  UPDATE marketplace.plugins SET newest_version = NEW.version WHERE name = NEW.plugin;
  RETURN NULL;
END $$;`;

export const MARKETPLACE_MIGRATIONS: MigrationSet = {
  name: 'marketplace',
  migrations: [
    { version: 1, name: 'author role', sql: authorRole },
    { version: 2, name: 'plugins and versions', sql: tables },
    { version: 3, name: 'row-level security and grants', sql: security },
    { version: 4, name: 'immutable versions, reserved names, soft unpublish', sql: immutableVersions },
    { version: 5, name: 'one download per plugin and role', sql: downloadsOncePerRole },
    { version: 6, name: 'the newest version in a not-greater refusal', sql: newestVersionInDetail },
    { version: 7, name: 'authors act as their login role and prove their keys', sql: authorIdentity },
    { version: 8, name: 'author bounds: no shared locks, sessions, sizes, quotas', sql: authorBounds },
    { version: 9, name: 'authors belong to one marketplace', sql: authorNamespace },
    { version: 10, name: "authors' display names", sql: authorDisplayNames },
    { version: 11, name: "multi-file plugins: a version's other files", sql: versionFiles },
  ],
};
