import { canOpenLogsFolder, openLogsFolder } from '../../desktop-shell.ts';
import { useUi } from '../../stores/ui.ts';

/** Where the logs are: the desktop app opens the folder; a browser shows the path on the server's machine. */
export function LogsSettings(): React.JSX.Element | null {
  const folder = useUi((s) => s.appInfo?.logsFolder);
  if (!folder) return null;
  return (
    <section className="settings-section" aria-labelledby="logs-title">
      <h2 id="logs-title">Logs</h2>
      <p>Warnings, errors and crashes of every part of the app are kept in <code data-testid="logs-folder">{folder}</code>
        {canOpenLogsFolder() ? '.' : ' on the machine that runs the server.'}</p>
      {canOpenLogsFolder() && <button type="button" onClick={openLogsFolder}>Open logs folder</button>}
    </section>
  );
}
