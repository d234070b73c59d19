import { errorInfoOf } from './api-error.ts';

/**
 * Whether publishing this name would be its first, from what `market.details` answers: the app's
 * publish dialog and `wasmforge publish` both review a first publish before anything is sent.
 * `unknown`: the marketplace cannot be reached, so nobody can tell (the name may be this author's
 * already); the publish is queued, and reviewed all the same, as it may be the first once delivered.
 * Any other refusal (a refused login, no marketplace in that database) is thrown, so it is shown
 * before a review that could not help.
 */
export async function firstPublishCheck(askDetails: () => Promise<unknown>): Promise<'first' | 'published' | 'unknown'> {
  try {
    await askDetails();
    return 'published';
  } catch (error) {
    const info = errorInfoOf(error);
    if (info.code === 'DB_UNAVAILABLE') return 'unknown';
    if (info.code === 'NOT_FOUND' && info.details?.missing === 'plugin') return 'first';
    if (info.code === 'NOT_FOUND' && info.details?.missing === 'version') return 'published'; // the name is known
    throw error;
  }
}

/** Whether the publish is reviewed (firstPublishCheck): a first one, or one that could not be checked. */
export async function isFirstPublish(askDetails: () => Promise<unknown>): Promise<boolean> {
  return (await firstPublishCheck(askDetails)) !== 'published';
}
