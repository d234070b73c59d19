/**
 * The one limit on a plugin's code, in one unit: 1 MiB of UTF-8, as the sandbox runs it, the
 * contract and a signed version accept it, and the marketplace database stores it (its
 * CHECK (octet_length(code) <= 1048576) in marketplace/db/schema.ts is this number in SQL).
 */
export const MAX_CODE_BYTES = 1024 * 1024;
export const CODE_TOO_LARGE = 'The plugin code is larger than 1 MiB';

/** Within the limit. Free of Buffer and zod, so the sandbox, the schemas and the renderer share it. */
export function codeFits(code: string): boolean {
  // A UTF-16 unit is at least one UTF-8 byte: a longer string cannot fit, and is not encoded to say so.
  return code.length <= MAX_CODE_BYTES && new TextEncoder().encode(code).length <= MAX_CODE_BYTES;
}
