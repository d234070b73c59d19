import { useEffect, useRef, useState } from 'react';
import { keepOpenWhile } from '../../components/dialogs.ts';

interface YankProps {
  name: string;
  version: string;
  busy: boolean;
  onConfirm(reason: string): void;
  onCancel(): void;
}

/** The most the marketplace keeps of a reason (marketYankSchema). */
const MAX_REASON = 500;

/**
 * Asks for the reason before yanking a version. An in-app dialog rather than window.prompt, which
 * Electron does not implement (it returns null at once, so Yank did nothing in the desktop app).
 */
export function YankDialog({ name, version, busy, onConfirm, onCancel }: YankProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="consent" aria-labelledby="yank-title" onClose={onCancel} onCancel={keepOpenWhile(busy)} data-testid="yank-dialog">
      <form method="dialog" onSubmit={(event) => {
        event.preventDefault();
        onConfirm(reason.trim());
      }}>
        <h2 id="yank-title">Yank {name} {version}?</h2>
        <p>Installed copies will refuse to run it and name the newest good version. A yank cannot be undone.</p>
        <label className="field">
          <span>Reason (shown to everyone who has it installed)</span>
          <textarea value={reason} maxLength={MAX_REASON} rows={3} onChange={(event) => setReason(event.target.value)} autoFocus />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={() => ref.current?.close()} disabled={busy}>Cancel</button>
          <button type="submit" className="danger" disabled={busy}>{busy ? 'Yanking…' : `Yank ${version}`}</button>
        </div>
      </form>
    </dialog>
  );
}
