import { useEffect, useRef, useState } from 'react';
import type { RunView } from '../../run/run-view.ts';

const COPIED_MS = 1500;

/** Copy the output to the clipboard, or save it as a file (.json when it is JSON). */
export function OutputActions({ view, name }: { view: RunView; name: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  const [copyFailure, setCopyFailure] = useState<string>();
  const disabled = view.status !== 'done' || view.output === '';
  const copy = async (): Promise<void> => {
    try {
      await writeClipboard(view.output);
      setCopied(true);
      setTimeout(() => setCopied(false), COPIED_MS);
    } catch (error) {
      setCopyFailure(error instanceof Error ? error.message : String(error));
    }
  };
  const exportFile = (): void => downloadOutput(view.output, name);
  return (
    <span className="output-actions">
      <button type="button" disabled={disabled} onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
      <button type="button" disabled={disabled} onClick={exportFile}>Export</button>
      {copyFailure !== undefined && <CopyFallback output={view.output} reason={copyFailure} onExport={exportFile} onClose={() => setCopyFailure(undefined)} />}
    </span>
  );
}

/** The clipboard exists only on secure pages (https, or this machine); a server opened over plain http from elsewhere has none. */
async function writeClipboard(text: string): Promise<void> {
  // Absent on insecure origins, whatever the DOM types say.
  if (!navigator.clipboard) throw new Error('this page is not a secure origin (plain http from another machine), so the browser gives it no clipboard');
  await navigator.clipboard.writeText(text);
}

/** When the browser refuses the clipboard: say why, and hand over the output selected, to copy by keyboard or export. */
function CopyFallback({ output, reason, onExport, onClose }: { output: string; reason: string; onExport(): void; onClose(): void }): React.JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const text = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
    text.current?.select();
  }, []);
  return (
    <dialog ref={dialog} className="copy-fallback" aria-labelledby="copy-fallback-title" onClose={onClose} data-testid="copy-fallback">
      <h2 id="copy-fallback-title">Could not copy</h2>
      <p role="alert">The browser refused the clipboard: {reason}.</p>
      <p>The output is selected below: press <kbd>Ctrl/⌘ + C</kbd> to copy it, or export it as a file.</p>
      <textarea ref={text} readOnly rows={8} className="mono" value={output} aria-label="The output, selected for copying" />
      <div className="dialog-actions">
        <button type="button" onClick={onExport}>Export</button>
        <button type="button" className="primary" onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}

function downloadOutput(output: string, name: string): void {
  const isJson = looksLikeJson(output);
  const url = URL.createObjectURL(new Blob([output], { type: isJson ? 'application/json' : 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}-output.${isJson ? 'json' : 'txt'}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return /^\s*[[{]/.test(text);
  } catch {
    return false;
  }
}
