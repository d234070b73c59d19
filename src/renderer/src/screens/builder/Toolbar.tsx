import type { PluginSummary, PluginTemplate } from '../../../../shared/api/schemas/plugins.ts';
import { useBuilder, type SaveState } from '../../stores/builder.ts';
import { formatOnSave, useFormatOnSave } from './format-on-save.ts';
import { replayMode, useReplayMode } from './replay-mode.ts';
import './toolbar.css';

const SAVE_TEXT: Record<SaveState, string> = {
  new: 'New draft', saved: 'Saved', saving: 'Saving…', unsaved: 'Unsaved changes', error: 'Not saved', 'draft-only': 'Draft (give it a valid name to save)',
};

interface ToolbarProps {
  templates: PluginTemplate[];
  plugins: PluginSummary[];
  running: boolean;
  onTemplate(template: PluginTemplate): void;
  onOpen(name: string): void;
  onSave(): void;
  onRun(): void;
  onCancel(): void;
  onPublish(): void;
}

export function BuilderToolbar(props: ToolbarProps): React.JSX.Element {
  const saveState = useBuilder((s) => s.saveState);
  const saveError = useBuilder((s) => s.saveError);
  const workspace = props.plugins.filter((p) => p.source === 'workspace');
  const saveText = `${SAVE_TEXT[saveState]}${saveState === 'error' && saveError ? `: ${saveError}` : ''}`;
  return (
    <div className="toolbar" role="toolbar" aria-label="Builder">
      <select aria-label="New plugin from a template" value="" onChange={(e) => {
        const template = props.templates.find((t) => t.id === e.target.value);
        if (template) props.onTemplate(template);
      }}>
        <option value="" disabled>New from template…</option>
        {props.templates.map((t) => <option key={t.id} value={t.id}>{t.title} — {t.description}</option>)}
      </select>
      <select aria-label="Open a workspace plugin" value="" onChange={(e) => e.target.value && props.onOpen(e.target.value)} disabled={workspace.length === 0}>
        <option value="" disabled>{workspace.length ? 'Open…' : 'No saved plugins yet'}</option>
        {workspace.map((p) => <option key={p.name} value={p.name}>{p.name} {p.version}</option>)}
      </select>
      {/* One line whatever the message: the whole of it is in the tooltip. */}
      <span className={`save-state save-${saveState}`} role="status" aria-live="polite" title={saveText} data-testid="save-state">{saveText}</span>
      <span className="spacer" />
      <FormatOnSaveToggle />
      <ReplayToggle />
      <button type="button" onClick={props.onSave} title="Save now (Ctrl/⌘+S)">Save</button>
      <button type="button" onClick={props.onPublish} title="Publish to the marketplace (Ctrl/⌘+Shift+P)">Publish…</button>
      <button type="button" className="primary" onClick={props.onRun} disabled={props.running} title="Run (Ctrl/⌘+Enter)">▶ Run</button>
      <button type="button" className="danger" onClick={props.onCancel} disabled={!props.running} title="Cancel the run (Esc)">Cancel</button>
    </div>
  );
}

/**
 * Replay mode's switch (the Builder's and the Runner's: one mode): while on, runs answer from the
 * plugin's test cases, and the label says so (the tooltip says how, keeping the toolbar one line).
 */
export function ReplayToggle(): React.JSX.Element {
  const on = useReplayMode();
  return (
    <label className={`replay-toggle ${on ? 'badge busy' : ''}`} title="Answer call_ai from this plugin's test cases (recorded answers) instead of a model: for working without Ollama">
      <input type="checkbox" checked={on} onChange={(e) => replayMode.getState().set(e.target.checked)} data-testid="replay-mode" />
      {on ? 'Replay mode' : 'Replay AI'}
    </label>
  );
}

/** Format on save: Save (Ctrl/⌘+S, the button) runs Ruff's formatter first; autosave never does. */
function FormatOnSaveToggle(): React.JSX.Element {
  const on = useFormatOnSave();
  return (
    <label className="format-toggle" title="Format the code with Ruff when you save (Ctrl/⌘+S or Save); Format Document is Shift+Alt+F">
      <input type="checkbox" checked={on} onChange={(e) => formatOnSave.getState().set(e.target.checked)} data-testid="format-on-save" />
      Format on save
    </label>
  );
}
