import { useEffect } from 'react';
import type { PluginDetail } from '../../../../shared/api/schemas/plugins.ts';
import { api } from '../../api/client.ts';
import { onAppEvents } from '../../stores/events.ts';
import { builderStore, useBuilder } from '../../stores/builder.ts';
import { saveDraft } from './use-autosave.ts';

/**
 * The open plugin as another program leaves it (an editor, git, `wasmforge` in a terminal). A draft
 * with nothing unsaved follows the disk, as an editor follows a file it has not changed; a draft with
 * edits is never written over the other program's version without the user's word (EDIT_CONFLICT).
 */
export function useDiskChanges(): void {
  useEffect(() => onAppEvents(['library.changed'], () => void followDisk()), []);
}

/** The open plugin as it is on disk now; undefined when there is none (never saved, or gone meanwhile). */
async function onDisk(): Promise<PluginDetail | undefined> {
  const { savedName } = builderStore.getState();
  return savedName === undefined ? undefined : api().call('plugins.get', { source: 'workspace', name: savedName }).catch(() => undefined);
}

async function followDisk(): Promise<void> {
  const before = builderStore.getState();
  if (before.saveState !== 'saved') return;
  const detail = await onDisk();
  const now = builderStore.getState();
  // Typed into, saved or replaced meanwhile: the next save (or the next change heard) decides.
  if (!detail || now.saveState !== 'saved' || now.documentId !== before.documentId || now.diskRevision !== before.diskRevision) return;
  if (detail.summary.revision !== undefined && detail.summary.revision !== now.diskRevision) now.open(detail);
}

async function loadFromDisk(): Promise<void> {
  const detail = await onDisk();
  if (detail) builderStore.getState().open(detail);
}

async function keepMine(): Promise<void> {
  if (builderStore.getState().savedName === undefined) return;
  builderStore.getState().keepDraftOver((await onDisk())?.summary.revision);
  await saveDraft();
}

/** The choice a refused save leaves: the other program's version, or this draft over it. */
export function EditConflictBanner(): React.JSX.Element | null {
  const conflict = useBuilder((s) => s.conflict);
  const name = useBuilder((s) => s.savedName);
  if (!conflict) return null;
  return (
    <div className="state state-error" role="alert" data-testid="edit-conflict">
      <strong className="error-title">Changed by another program</strong>
      <span>{name} on disk is no longer what was opened here: another editor, git or the CLI wrote it. Your edits here are not saved yet.</span>
      <button type="button" onClick={() => void loadFromDisk()}>Load the version on disk (drops your edits)</button>
      <button type="button" onClick={() => void keepMine()}>Keep mine and save over it</button>
    </div>
  );
}
