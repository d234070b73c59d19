import { ED25519_SQL } from './ed25519.ts';

/**
 * Migration 7: who an author is. Three holes closed, each by the database so raw SQL cannot
 * reopen them:
 * - Every author is a member of wasmforge_author (that role carries the grants), so any author
 *   could `SET ROLE wasmforge_author` (or connect with `options=-c role=…`) and own or change rows
 *   as the group. Policies and defaults now name `session_user` (the login, which neither SET ROLE
 *   nor a connection option changes), writes while acting as another role are refused, and only a
 *   login role may own a plugin.
 * - A public key was bound to whichever role registered it first, checked for format only. Now the
 *   database derives the fingerprint from the key, and binds a key to a role only through
 *   register_author, which consumes a fresh server nonce and verifies an Ed25519 signature over
 *   the role name and that nonce (db/ed25519.ts). Authors lose INSERT on the table.
 * - Rows registered before this migration are kept but marked unproven: publishing needs a proven
 *   key (the app proves it by itself on the next publish), a proven key outranks an unproven row
 *   holding the same key (a squatter cannot lock its real owner out), and readers ignore an
 *   unproven row whose key another role has proven.
 */
export const PROOF_CONTEXT = 'wasmforge-author-proof-v1';

export const authorIdentity = `
${ED25519_SQL}

CREATE FUNCTION marketplace.key_fingerprint(public_key text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT 'SHA256:' || rtrim(encode(sha256(decode(translate(public_key, '-_', '+/') || '=', 'base64')), 'base64'), '=') $$;

ALTER TABLE marketplace.authors ADD COLUMN proven boolean NOT NULL DEFAULT false, ADD COLUMN proven_at timestamptz,
  ALTER COLUMN role_name SET DEFAULT session_user,
  DROP CONSTRAINT authors_fingerprint_key;
CREATE UNIQUE INDEX authors_proven_fingerprint ON marketplace.authors (fingerprint) WHERE proven;

-- Whatever fingerprint a writer sends, the stored one is the key's.
CREATE FUNCTION marketplace.derive_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.fingerprint := marketplace.key_fingerprint(NEW.public_key);
  RETURN NEW;
END $$;
CREATE TRIGGER authors_derive_fingerprint BEFORE INSERT OR UPDATE OF public_key, fingerprint ON marketplace.authors
  FOR EACH ROW EXECUTE FUNCTION marketplace.derive_fingerprint();

CREATE TABLE marketplace.author_nonces (
  role_name text PRIMARY KEY,
  nonce text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE marketplace.author_nonces ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON marketplace.author_nonces FROM PUBLIC;

-- One pending nonce per login role; asking again replaces it.
CREATE FUNCTION marketplace.author_nonce() RETURNS text
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO marketplace.author_nonces (role_name, nonce)
    VALUES (session_user, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
  ON CONFLICT (role_name) DO UPDATE SET nonce = EXCLUDED.nonce, created_at = now()
  RETURNING nonce $$;

CREATE FUNCTION marketplace.register_author(p_public_key text, p_signature text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me constant text := session_user;
  challenge text;
  fp text;
  mine marketplace.authors%ROWTYPE;
BEGIN
  IF p_public_key !~ '^[A-Za-z0-9_-]{43}$' OR p_signature !~ '^[A-Za-z0-9+/]{86}==$' THEN
    RAISE EXCEPTION 'not an Ed25519 public key and signature' USING ERRCODE = 'WF004';
  END IF;
  DELETE FROM marketplace.author_nonces WHERE role_name = me AND created_at > now() - interval '10 minutes'
    RETURNING nonce INTO challenge;
  IF challenge IS NULL THEN
    RAISE EXCEPTION 'no fresh registration nonce for %; ask marketplace.author_nonce() first', me USING ERRCODE = 'WF004';
  END IF;
  IF NOT marketplace.ed25519_verify(decode(translate(p_public_key, '-_', '+/') || '=', 'base64'),
      convert_to('${PROOF_CONTEXT}' || chr(10) || me || chr(10) || challenge, 'UTF8'), decode(p_signature, 'base64')) THEN
    RAISE EXCEPTION 'the proof of possession of this key does not verify for %', me USING ERRCODE = 'WF004';
  END IF;
  fp := marketplace.key_fingerprint(p_public_key);
  IF EXISTS (SELECT 1 FROM marketplace.authors WHERE fingerprint = fp AND proven AND role_name <> me) THEN
    RAISE EXCEPTION 'the key % is already registered to another author', fp USING ERRCODE = 'WF004';
  END IF;
  SELECT * INTO mine FROM marketplace.authors WHERE role_name = me FOR UPDATE;
  IF FOUND AND mine.fingerprint <> fp THEN
    RAISE EXCEPTION 'author % publishes with key %, not %', me, mine.fingerprint, fp USING ERRCODE = 'WF004', DETAIL = mine.fingerprint;
  END IF;
  INSERT INTO marketplace.authors (role_name, public_key, fingerprint, proven, proven_at) VALUES (me, p_public_key, fp, true, now())
    ON CONFLICT (role_name) DO UPDATE SET proven = true, proven_at = now();
  RETURN fp;
END $$;

-- The role that really acts, and only when it acts as itself (not through SET ROLE or role=).
CREATE FUNCTION marketplace.acting_author() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN current_user = session_user THEN session_user::text END $$;

-- Ownership names a login role: never a group every author may act as. (Only the owner can
-- write a name that is no role at all, e.g. seeding or restoring a catalog; no one can be that.)
CREATE FUNCTION marketplace.owner_can_log_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = NEW.owner AND NOT rolcanlogin) THEN
    RAISE EXCEPTION 'a plugin must be owned by a login role, not %', NEW.owner USING ERRCODE = 'WF004';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plugins_owner_can_log_in BEFORE INSERT OR UPDATE OF owner ON marketplace.plugins
  FOR EACH ROW EXECUTE FUNCTION marketplace.owner_can_log_in();

ALTER TABLE marketplace.plugins ALTER COLUMN owner SET DEFAULT session_user;
ALTER TABLE marketplace.versions ALTER COLUMN signer SET DEFAULT session_user;

DROP POLICY authors_register ON marketplace.authors;
DROP POLICY plugins_create ON marketplace.plugins;
DROP POLICY plugins_update ON marketplace.plugins;
DROP POLICY versions_publish ON marketplace.versions;
DROP POLICY versions_yank ON marketplace.versions;

CREATE POLICY plugins_create ON marketplace.plugins FOR INSERT WITH CHECK (owner = marketplace.acting_author());
CREATE POLICY plugins_update ON marketplace.plugins FOR UPDATE
  USING (owner = session_user) WITH CHECK (owner = marketplace.acting_author());
CREATE POLICY versions_publish ON marketplace.versions FOR INSERT WITH CHECK (
  signer = marketplace.acting_author()
  AND EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = session_user)
  AND EXISTS (SELECT 1 FROM marketplace.authors a
    WHERE a.role_name = session_user AND a.proven AND a.fingerprint = versions.fingerprint));
CREATE POLICY versions_yank ON marketplace.versions FOR UPDATE
  USING (EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = session_user))
  WITH CHECK (EXISTS (SELECT 1 FROM marketplace.plugins p WHERE p.name = plugin AND p.owner = marketplace.acting_author()));

REVOKE INSERT ON marketplace.authors FROM wasmforge_author;
REVOKE ALL ON FUNCTION marketplace.author_nonce(), marketplace.register_author(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION marketplace.author_nonce(), marketplace.register_author(text, text) TO wasmforge_author;`;
