import { errorInfoOf } from './api-error.ts';

/**
 * Whether publishing this name would be its first, from what `market.details` answers: the app's
 * publish dialog and `wasmforge publish` both review a first publish before anything is sent. A
 * marketplace that cannot be reached may be seeing the name for the first time once the publish is
 * delivered: reviewed too. Any other refusal (a refused login, no marketplace in that database) is
 * thrown, so it is shown before a review that could not help.
 */
export async function isFirstPublish(askDetails: () => Promise<unknown>): Promise<boolean> {
  try {
    await askDetails();
    return false;
  } catch (error) {
    const info = errorInfoOf(error);
    if (info.code === 'DB_UNAVAILABLE') return true;
    if (info.code === 'NOT_FOUND' && info.details?.missing === 'plugin') return true;
    if (info.code === 'NOT_FOUND' && info.details?.missing === 'version') return false; // the name is known
    throw error;
  }
}
