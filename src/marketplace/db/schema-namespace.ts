/**
 * Migration 9: authors belong to one marketplace. Roles are global to a PostgreSQL server, and
 * migrations 1–8 gave every privilege to the one group `wasmforge_author`, so an author admitted to
 * one marketplace was an author of every other marketplace on the same server. Now each marketplace
 * database has its own group, `wasmforge_author_<database oid>` (an oid survives a rename), which
 * alone holds USAGE on this database's `marketplace` schema; without that, no grant made to
 * `wasmforge_author` reaches any object here. The group is a member of `wasmforge_author`, so the
 * object grants of earlier migrations still apply to its members, and later migrations grant to
 * `marketplace.author_group()`.
 *
 * Existing authors of this marketplace (a key, a plugin or a version here) join its group; a role
 * added before but never used is admitted again with `wasmforge db add-author <role> --existing`.
 */
export const authorNamespace = `
CREATE FUNCTION marketplace.author_group() RETURNS text LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT 'wasmforge_author_' || oid::text FROM pg_catalog.pg_database WHERE datname = current_database() $$;

DO $$
DECLARE
  author_group constant text := marketplace.author_group();
  r record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = author_group) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', author_group);
  END IF;
  EXECUTE format('GRANT wasmforge_author TO %I', author_group);
  REVOKE USAGE ON SCHEMA marketplace FROM wasmforge_author;
  REVOKE SELECT ON public.wasmforge_migrations FROM wasmforge_author;
  EXECUTE format('GRANT USAGE ON SCHEMA marketplace TO %I', author_group);
  EXECUTE format('GRANT SELECT ON public.wasmforge_migrations TO %I', author_group);
  FOR r IN SELECT m.rolname FROM pg_catalog.pg_roles m
      JOIN pg_catalog.pg_auth_members am ON am.member = m.oid
      JOIN pg_catalog.pg_roles g ON g.oid = am.roleid AND g.rolname = 'wasmforge_author'
      WHERE m.rolcanlogin AND (
        m.rolname IN (SELECT role_name FROM marketplace.authors)
        OR m.rolname IN (SELECT owner FROM marketplace.plugins)
        OR m.rolname IN (SELECT signer FROM marketplace.versions)) LOOP
    EXECUTE format('GRANT %I TO %I', author_group, r.rolname);
  END LOOP;
END $$;`;
