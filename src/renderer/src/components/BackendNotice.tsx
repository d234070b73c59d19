import { backendNotice, useBackendNotice } from '../desktop-shell.ts';

/** Says so when the desktop app's backend process died: what was under way failed, the app goes on. */
export function BackendNotice(): React.JSX.Element | null {
  const notice = useBackendNotice();
  if (!notice) return null;
  const text = notice.notice === 'backend-restarted'
    ? 'The backend restarted after it stopped unexpectedly. Whatever was under way failed; try it again.'
    : 'The backend stopped and could not be restarted. Quit and start WasmForge again.';
  return (
    <div className="state state-error" role="alert">
      <span>{text}{notice.logFile ? ` Details: ${notice.logFile}` : ''}</span>
      <button type="button" onClick={() => backendNotice.getState().dismiss()}>Dismiss</button>
    </div>
  );
}
