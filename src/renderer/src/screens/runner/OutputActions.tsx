import { useState } from 'react';
import type { RunView } from '../../run/run-view.ts';

/** Copy the output to the clipboard, or save it as a file (.json when it is JSON). */
export function OutputActions({ view, name }: { view: RunView; name: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  const disabled = view.status !== 'done' || view.output === '';
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(view.output);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const exportFile = (): void => {
    const isJson = looksLikeJson(view.output);
    const url = URL.createObjectURL(new Blob([view.output], { type: isJson ? 'application/json' : 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${name}-output.${isJson ? 'json' : 'txt'}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <span className="output-actions">
      <button type="button" disabled={disabled} onClick={() => void copy().catch(() => undefined)}>{copied ? 'Copied' : 'Copy'}</button>
      <button type="button" disabled={disabled} onClick={exportFile}>Export</button>
    </span>
  );
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return /^\s*[[{]/.test(text);
  } catch {
    return false;
  }
}
