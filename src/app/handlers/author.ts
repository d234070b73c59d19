import { createPrivateKey, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../library/atomic-write.ts';
import { dataPath } from '../../library/home.ts';
import { importAuthorKey, loadOrCreateAuthorKey, type AuthorKey } from '../../marketplace/index.ts';
import { describeDatabaseUrl } from '../../marketplace/db/connect.ts';
import { toErrorInfo, WasmForgeError } from '../../shared/errors.ts';
import type { AuthorIdentity, DisplayNameResult } from '../../shared/api/schemas/author.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';

type AuthorRoutes = 'author.identity' | 'author.exportKey' | 'author.importKey' | 'author.setDisplayName';

/** The author's identity: a display name (settings) and the Ed25519 key in the data folder that signs every version. */
export function authorHandlers(app: AppContext): Pick<ApiHandlers, AuthorRoutes> {
  const identity = async (key: AuthorKey): Promise<AuthorIdentity> => ({
    displayName: (await app.settings()).author.displayName, fingerprint: key.fingerprint, publicKey: key.publicKey,
  });
  return {
    'author.identity': async () => identity(await loadOrCreateAuthorKey(app.home)),
    'author.exportKey': async () => {
      const key = await loadOrCreateAuthorKey(app.home);
      return { pem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), fingerprint: key.fingerprint };
    },
    'author.importKey': async ({ pem, replace }) => {
      assertEd25519Pem(pem);
      // The library imports from a file: a private one beside the key, gone right after.
      const staging = dataPath(app.home, 'keys', `import-${randomBytes(6).toString('hex')}.pem`);
      try {
        await writeFileAtomic(staging, pem);
        return await identity(await importAuthorKey(app.home, staging, { replace }));
      } finally {
        await rm(staging, { force: true });
      }
    },
    'author.setDisplayName': async ({ displayName }) => {
      await app.updateSettings({ author: { displayName } });
      return shareDisplayName(app, displayName);
    },
  };
}

/**
 * Shows the saved name on the marketplace in use now rather than at the next publish. A local
 * marketplace never opened has no author to name (opening it would create the database for nothing).
 */
async function shareDisplayName(app: AppContext, displayName: string): Promise<DisplayNameResult> {
  const url = await app.market.configuredUrl();
  const marketplace = url ? `the marketplace at ${describeDatabaseUrl(url)}` : `the local marketplace in ${app.home}`;
  if (!url && !app.library.exists()) return { displayName, marketplace, sharing: 'first-publish' };
  try {
    const known = await app.market.use((market) => market.setDisplayName(displayName));
    return { displayName, marketplace, sharing: known ? 'shared' : 'first-publish' };
  } catch (error) {
    return { displayName, marketplace, sharing: 'failed', error: toErrorInfo(error) };
  }
}

function assertEd25519Pem(pem: string): void {
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'ed25519') {
    throw new WasmForgeError('BAD_INPUT', 'That is not a WasmForge author key (an Ed25519 private key in PEM form)', {
      hint: 'Use the file that "Export key" saved on your other machine.',
    });
  }
}
