import { z } from 'zod';

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
