/**
 * Migration 10: authors' display names. An author sets their own (what Settings › Author identity
 * holds) through one definer function keyed by `session_user`, so nobody can name someone else;
 * a name is 1–100 characters without control characters (it is shown on every card). Cards and
 * pages show it with the role and the key as details, and search finds a plugin by it.
 */
export const authorDisplayNames = `
ALTER TABLE marketplace.authors ADD COLUMN display_name text
  CHECK (display_name IS NULL OR (char_length(display_name) BETWEEN 1 AND 100 AND display_name !~ '[[:cntrl:]]'));

CREATE FUNCTION marketplace.set_display_name(p_name text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ UPDATE marketplace.authors SET display_name = nullif(btrim(p_name), '')
        WHERE role_name = session_user AND display_name IS DISTINCT FROM nullif(btrim(p_name), '') $$;
REVOKE ALL ON FUNCTION marketplace.set_display_name(text) FROM PUBLIC;
DO $$ BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION marketplace.set_display_name(text) TO %I', marketplace.author_group());
END $$;`;
