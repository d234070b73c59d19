import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../commands.ts';
import { uiStore } from '../stores/ui.ts';

export function ShortcutsDialog(): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="shortcuts" aria-label="Keyboard shortcuts" onClose={() => uiStore.getState().setShortcutsOpen(false)}>
      <h2>Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}><dt><kbd>{keys}</kbd></dt><dd>{what}</dd></div>
        ))}
      </dl>
      <form method="dialog"><button type="submit" autoFocus>Close</button></form>
    </dialog>
  );
}
