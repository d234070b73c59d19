import { z } from 'zod';
import { errorInfoSchema } from '../../errors.ts';

/** Who publishes from this data folder: a display name, and the Ed25519 key every version is signed with. */
export const authorIdentitySchema = z.object({
  displayName: z.string(),
  fingerprint: z.string(),
  publicKey: z.string(),
});
export type AuthorIdentity = z.infer<typeof authorIdentitySchema>;

/** The private key as PEM text: the user saves it to move their identity to another machine. */
export const exportedKeySchema = z.object({ pem: z.string(), fingerprint: z.string() });

const MAX_PEM_CHARS = 10_000;
export const importKeySchema = z.object({
  pem: z.string().min(1).max(MAX_PEM_CHARS),
  /** Replace a different key already here (it is kept as a backup file). */
  replace: z.boolean().default(false),
}).strict();

/** The longest display name the marketplace keeps (migration 10's check). */
export const MAX_DISPLAY_NAME_CHARS = 100;

/**
 * The name cards and pages show for this author: what the marketplace accepts (up to 100 characters,
 * no control characters, as migration 10 checks), trimmed; empty: none, the database role shows.
 */
export const displayNameSchema = z.string().trim().max(MAX_DISPLAY_NAME_CHARS)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'must not contain control characters (newlines, tabs, escapes)');

export const setDisplayNameSchema = z.object({ displayName: displayNameSchema }).strict();

/**
 * Where the marketplace in use stands once the name is saved in the settings: `shared` (its cards show
 * it now), `first-publish` (this author has not published there yet: it goes with the first publish),
 * or `failed` (saved here; the marketplace could not take it now, `error` says why; the next publish shares it).
 */
export const displayNameResultSchema = z.object({
  displayName: z.string(),
  /** The marketplace in use, as a sentence names it: `the marketplace at <URL without its password>`, or `the local marketplace in <folder>`. */
  marketplace: z.string(),
  sharing: z.enum(['shared', 'first-publish', 'failed']),
  error: errorInfoSchema.optional(),
});
export type DisplayNameResult = z.infer<typeof displayNameResultSchema>;
