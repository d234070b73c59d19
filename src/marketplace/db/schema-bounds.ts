/**
 * Migration 8: what one author may cost everyone else. An author holds a connection URL and can
 * send any SQL, so every bound here is the database's, not the app's:
 * - Locks: counting a download no longer touches the plugin row (an open transaction that called
 *   record_download held the owner's publish for as long as it stayed open). A download is one
 *   insert into marketplace.downloads, whose key is the downloader's own, so no two authors ever
 *   wait on one another's download; the count shown is the old counter plus those rows
 *   (marketplace.listing). The table loses its foreign key, which locked the plugin row too.
 * - Sessions: author roles get a connection limit and statement / idle-in-transaction / lock
 *   timeouts (admin.ts sets the same on new authors). An author can still SET these in their own
 *   session, which is why no author call may hold a lock another author needs in the first place.
 * - Storage: a size bound on every column an author writes, daily quotas per author on new names,
 *   versions and bytes (marketplace.quotas, which the owner may tune), no temporary tables, and
 *   (when the migrating role is a superuser, the only one who can) no large objects.
 * Quotas apply to author roles; the database owner and superusers (the local PGlite user) are exempt.
 */
export const AUTHOR_CONNECTION_LIMIT = 8;
export const AUTHOR_SESSION_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['statement_timeout', '15s'],
  ['idle_in_transaction_session_timeout', '10s'],
  ['lock_timeout', '10s'],
];

const sessionBounds = AUTHOR_SESSION_SETTINGS
  .map(([name, value]) => `EXECUTE format('ALTER ROLE %I SET ${name} = %L', r.rolname, '${value}');`).join('\n      ');

export const authorBounds = `
CREATE OR REPLACE FUNCTION marketplace.record_download(p_plugin text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO marketplace.downloads (plugin, downloader)
    SELECT p.name, session_user FROM marketplace.plugins p WHERE p.name = p_plugin AND p.unpublished_at IS NULL
  ON CONFLICT DO NOTHING $$;
ALTER TABLE marketplace.downloads DROP CONSTRAINT downloads_plugin_fkey;
-- plugins.downloads keeps what was counted before the downloads table existed (migration 5).
UPDATE marketplace.plugins p SET downloads = greatest(0, p.downloads - (SELECT count(*) FROM marketplace.downloads d WHERE d.plugin = p.name));
CREATE VIEW marketplace.listing AS
  SELECT p.name, p.owner, p.description, p.tags, p.latest_version, p.search_document, p.created_at, p.updated_at,
    p.unpublished_at, p.downloads + (SELECT count(*) FROM marketplace.downloads d WHERE d.plugin = p.name) AS downloads
  FROM marketplace.plugins p;

ALTER TABLE marketplace.versions
  ADD CONSTRAINT versions_manifest_size CHECK (octet_length(manifest::text) <= 65536) NOT VALID,
  ADD CONSTRAINT versions_fingerprint_size CHECK (length(fingerprint) <= 100) NOT VALID,
  ADD CONSTRAINT versions_signer_size CHECK (length(signer) <= 63) NOT VALID;
ALTER TABLE marketplace.plugins ADD CONSTRAINT plugins_latest_version_size CHECK (length(latest_version) <= 64) NOT VALID;

CREATE TABLE marketplace.quotas (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  names_per_day integer NOT NULL CHECK (names_per_day >= 0),
  versions_per_day integer NOT NULL CHECK (versions_per_day >= 0),
  bytes_per_day bigint NOT NULL CHECK (bytes_per_day >= 0)
);
INSERT INTO marketplace.quotas VALUES (true, 20, 50, 16777216);

CREATE FUNCTION marketplace.is_author() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = session_user
    AND (r.rolsuper OR r.oid = (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = 'marketplace'))) $$;

-- Locks the author's own row, so the author's concurrent writes are counted one after another;
-- no other author can lock it (authors have no UPDATE on marketplace.authors).
CREATE FUNCTION marketplace.enforce_quota() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q marketplace.quotas%ROWTYPE;
  used bigint;
  bytes bigint;
BEGIN
  IF NOT marketplace.is_author() THEN RETURN NEW; END IF;
  SELECT * INTO q FROM marketplace.quotas;
  PERFORM 1 FROM marketplace.authors WHERE role_name = session_user FOR NO KEY UPDATE;
  IF TG_TABLE_NAME = 'plugins' THEN
    SELECT count(*) INTO used FROM marketplace.plugins WHERE owner = session_user AND created_at > now() - interval '1 day';
    IF used >= q.names_per_day THEN
      RAISE EXCEPTION '% may create at most % plugin names a day', session_user, q.names_per_day USING ERRCODE = 'WF005';
    END IF;
    RETURN NEW;
  END IF;
  SELECT count(*), coalesce(sum(octet_length(code) + octet_length(manifest::text)), 0) INTO used, bytes
    FROM marketplace.versions WHERE signer = session_user AND created_at > now() - interval '1 day';
  IF used >= q.versions_per_day THEN
    RAISE EXCEPTION '% may publish at most % versions a day', session_user, q.versions_per_day USING ERRCODE = 'WF005';
  END IF;
  IF bytes + octet_length(NEW.code) + octet_length(NEW.manifest::text) > q.bytes_per_day THEN
    RAISE EXCEPTION '% may publish at most % bytes a day', session_user, q.bytes_per_day USING ERRCODE = 'WF005';
  END IF;
  RETURN NEW;
END $$;
CREATE INDEX plugins_by_owner ON marketplace.plugins (owner, created_at);
CREATE INDEX versions_by_signer ON marketplace.versions (signer, created_at);
CREATE TRIGGER plugins_quota BEFORE INSERT ON marketplace.plugins FOR EACH ROW EXECUTE FUNCTION marketplace.enforce_quota();
CREATE TRIGGER versions_quota BEFORE INSERT ON marketplace.versions FOR EACH ROW EXECUTE FUNCTION marketplace.enforce_quota();

REVOKE ALL ON marketplace.quotas FROM PUBLIC;
GRANT SELECT ON marketplace.quotas, marketplace.listing TO wasmforge_author;

DO $$
DECLARE
  r record;
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  FOR r IN SELECT m.rolname FROM pg_catalog.pg_roles m
      JOIN pg_catalog.pg_auth_members am ON am.member = m.oid
      JOIN pg_catalog.pg_roles g ON g.oid = am.roleid AND g.rolname = 'wasmforge_author'
      WHERE NOT m.rolsuper LOOP
    BEGIN
      EXECUTE format('ALTER ROLE %I CONNECTION LIMIT ${AUTHOR_CONNECTION_LIMIT}', r.rolname);
      ${sessionBounds}
    EXCEPTION WHEN undefined_object THEN NULL; -- dropped meanwhile (roles are shared by every database)
    END;
  END LOOP;
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    REVOKE EXECUTE ON FUNCTION pg_catalog.lo_creat(integer), pg_catalog.lo_create(oid),
      pg_catalog.lo_from_bytea(oid, bytea), pg_catalog.lo_import(text), pg_catalog.lo_import(text, oid) FROM PUBLIC;
  ELSE
    RAISE NOTICE 'Not a superuser: large objects stay creatable; revoke lo_creat, lo_create and lo_from_bytea from PUBLIC as one.';
  END IF;
END $$;`;
