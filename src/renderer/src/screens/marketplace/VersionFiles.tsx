import { useState } from 'react';
import type { ReviewedVersion } from '../../../../shared/api/schemas/marketplace.ts';
import { ENTRY_FILE, pluginFileNames } from '../../../../shared/plugin-files.ts';
import { ReadOnlyCode } from '../../monaco/ReadOnlyCode.tsx';
import type { Theme } from '../../stores/ui.ts';

/**
 * Every file of one version, read-only, one at a time behind tabs (plugin.py first): what runs is all
 * of them, and the install consent lists them all, so each must be readable before installing.
 * The parent keys it by version, so another version opens on its plugin.py again.
 */
export function VersionFiles({ name, version, theme }: { name: string; version: ReviewedVersion; theme: Theme }): React.JSX.Element {
  const [open, setOpen] = useState(ENTRY_FILE);
  const paths = pluginFileNames(version.files);
  const textOf = (path: string): string => (path === ENTRY_FILE ? version.code : version.files[path] ?? '');
  const tabId = (path: string): string => `file-tab-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  // The one editor stays; only its text changes (its label names the version, the tab names the file).
  const code = <ReadOnlyCode code={textOf(open)} theme={theme} label={`Code of ${name} ${version.version} (read-only)`} />;
  if (paths.length === 1) return code;
  return (
    <>
      <div role="tablist" aria-label={`Files of ${name} ${version.version}`} className="tabs file-tabs">
        {paths.map((path) => (
          <button key={path} type="button" role="tab" id={tabId(path)} aria-selected={path === open} aria-controls="version-file-panel" onClick={() => setOpen(path)}>{path}</button>
        ))}
      </div>
      <div role="tabpanel" id="version-file-panel" aria-labelledby={tabId(open)}>{code}</div>
    </>
  );
}
