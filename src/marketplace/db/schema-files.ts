/**
 * Migration 11: multi-file plugins. A version's other files (modules, data) sit beside its code as
 * one jsonb object, path → text; '{}' for a single-file plugin and for every version published
 * before, whose rows and signatures stay exactly as they were (their sha256 is still over the code
 * alone: library/signed-version.ts contentSha256). The size check mirrors the sandbox's cap (2 MiB
 * of text together, JSON escapes allowed for), and the daily byte quota counts the files too.
 */
export const versionFiles = `
ALTER TABLE marketplace.versions ADD COLUMN files jsonb NOT NULL DEFAULT '{}'::jsonb
  CONSTRAINT versions_files_object CHECK (jsonb_typeof(files) = 'object' AND octet_length(files::text) <= 6291456);

CREATE OR REPLACE FUNCTION marketplace.enforce_quota() RETURNS trigger
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
  SELECT count(*), coalesce(sum(octet_length(code) + octet_length(manifest::text) + octet_length(files::text)), 0) INTO used, bytes
    FROM marketplace.versions WHERE signer = session_user AND created_at > now() - interval '1 day';
  IF used >= q.versions_per_day THEN
    RAISE EXCEPTION '% may publish at most % versions a day', session_user, q.versions_per_day USING ERRCODE = 'WF005';
  END IF;
  IF bytes + octet_length(NEW.code) + octet_length(NEW.manifest::text) + octet_length(NEW.files::text) > q.bytes_per_day THEN
    RAISE EXCEPTION '% may publish at most % bytes a day', session_user, q.bytes_per_day USING ERRCODE = 'WF005';
  END IF;
  RETURN NEW;
END $$;

DO $$ BEGIN
  EXECUTE format('GRANT INSERT (files) ON marketplace.versions TO %I', marketplace.author_group());
END $$;`;
