import { useState } from 'react';
import { ENTRY_FILE } from '../../../../shared/plugin-files.ts';
import { closeDocumentFile } from '../../monaco/documents.ts';
import { builderStore, useBuilder } from '../../stores/builder.ts';
import { FILE_PATH_RULE } from '../../stores/builder-files.ts';
import './files-list.css';

/**
 * The plugin's files beside the editor: plugin.py, then its other modules and data files by path.
 * A click shows one (each has its own editor model); the others can be added, renamed and deleted.
 */
export function FilesList(): React.JSX.Element {
  const files = useBuilder((s) => s.files) ?? {};
  const active = useBuilder((s) => s.activeFile) ?? ENTRY_FILE;
  const [newPath, setNewPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const paths = [ENTRY_FILE, ...Object.keys(files).sort()];

  const add = (event: React.FormEvent): void => {
    event.preventDefault();
    const refused = builderStore.getState().addFile(newPath.trim());
    setProblem(refused);
    if (!refused) setNewPath('');
  };
  // Renamed in place (Electron has no window.prompt: it returns null at once).
  const [renaming, setRenaming] = useState<string | null>(null);
  const rename = (from: string, to: string): void => {
    if (!to || to === from) return setRenaming(null);
    const refused = builderStore.getState().renameFile(from, to);
    setProblem(refused);
    if (refused) return;
    setRenaming(null);
    // The old path's model goes, so the language server no longer sees a module by that name.
    closeDocumentFile(builderStore.getState().documentId, from);
  };
  const remove = (path: string): void => {
    if (!window.confirm(`Delete ${path}?`)) return;
    builderStore.getState().deleteFile(path);
    closeDocumentFile(builderStore.getState().documentId, path);
  };

  return (
    <nav className="files-list" aria-label="Plugin files" data-testid="files-list">
      <ul>
        {paths.map((path) => (
          <li key={path} className={path === active ? 'active' : undefined}>
            {renaming === path ? <RenameField from={path} onDone={(to) => rename(path, to)} onCancel={() => setRenaming(null)} /> : <>
            <button type="button" className="file-name" title={path} aria-current={path === active ? 'true' : undefined} onClick={() => builderStore.getState().showFile(path)}>{path}</button>
            {path !== ENTRY_FILE && (
              <span className="file-actions">
                <button type="button" aria-label={`Rename ${path}`} title="Rename" onClick={() => setRenaming(path)}>✎</button>
                <button type="button" aria-label={`Delete ${path}`} title="Delete" onClick={() => remove(path)}>×</button>
              </span>
            )}
            </>}
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="file-add">
        <input value={newPath} onChange={(e) => setNewPath(e.target.value)} placeholder="helpers.py" aria-label="New file path" title={FILE_PATH_RULE} />
        <button type="submit" disabled={newPath.trim() === ''}>Add file</button>
      </form>
      {problem && <p className="file-problem" role="alert">{problem}</p>}
    </nav>
  );
}

function RenameField({ from, onDone, onCancel }: { from: string; onDone: (to: string) => void; onCancel: () => void }): React.JSX.Element {
  const [to, setTo] = useState(from);
  return (
    <form className="file-rename" onSubmit={(event) => { event.preventDefault(); onDone(to.trim()); }}>
      <input autoFocus value={to} onChange={(e) => setTo(e.target.value)} aria-label={`New path for ${from}`} title={FILE_PATH_RULE}
        onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }} />
      <button type="submit">Rename</button>
    </form>
  );
}
