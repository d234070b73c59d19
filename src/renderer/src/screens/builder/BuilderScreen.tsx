import { useEffect, useMemo } from 'react';
import { api } from '../../api/client.ts';
import { registerCommands } from '../../commands.ts';
import { RunPanes } from '../../components/RunPanes.tsx';
import { ErrorBanner } from '../../components/States.tsx';
import { lowered } from '../../limits.ts';
import { CodeEditor } from '../../monaco/CodeEditor.tsx';
import { builderStore, isValidName, useBuilder } from '../../stores/builder.ts';
import { publishStore, usePublish } from '../../stores/publish.ts';
import { builderRun, useRun } from '../../stores/run.ts';
import { useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { ENTRY_FILE } from '../../../../shared/plugin-files.ts';
import { EditConflictBanner, useDiskChanges } from './disk-changes.tsx';
import { editorFormatter, saveNow } from './format-on-save.ts';
import { FilesList } from './FilesList.tsx';
import { ManifestPanel } from './ManifestForm.tsx';
import { openFailure, openWorkspacePlugin, startFromTemplate, useOpenFailure } from './open-in-builder.ts';
import { PublishDialog } from './PublishDialog.tsx';
import { replayMode } from './replay-mode.ts';
import { TestsPanel } from './TestsPanel.tsx';
import { BuilderInput } from './BuilderInput.tsx';
import { BuilderToolbar } from './Toolbar.tsx';
import { useAutosave } from './use-autosave.ts';
import { useSyntaxCheck } from './use-syntax-check.ts';
import { useDetectedModels } from './use-detected-models.ts';

/** Write a plugin, describe it, run it with an input and see everything it did. */
export function BuilderScreen(): React.JSX.Element {
  const code = useBuilder((s) => s.code);
  const files = useBuilder((s) => s.files);
  const activeFile = useBuilder((s) => s.activeFile) ?? ENTRY_FILE;
  const shownText = activeFile === ENTRY_FILE ? code : files?.[activeFile] ?? '';
  const revision = useBuilder((s) => s.revision);
  const documentId = useBuilder((s) => s.documentId);
  const manifest = useBuilder((s) => s.manifest);
  const view = useRun(builderRun, (s) => s.view);
  const theme = useUi((s) => s.theme);
  const appLimits = useUi((s) => s.appInfo?.limits);
  const templates = useData(() => api().call('templates.list', {}));
  // A save (this window's too) is library.changed: the menu reads the list again once per save.
  const plugins = useData(() => api().call('plugins.list', {}), [revision], { refreshOn: ['library.changed'] });
  const models = useData(async () => (await api().call('models.list', {})).filter((m) => m.approved).map((m) => m.name));
  // The Python file on screen is checked as it is typed (helper modules too); another file shown leaves plugin.py's check on.
  const checkedFile = activeFile.endsWith('.py') ? activeFile : ENTRY_FILE;
  const syntaxError = useSyntaxCheck(checkedFile === ENTRY_FILE ? code : shownText, checkedFile);
  useDetectedModels(code, files);
  // The starters, the Open menu and the model ticks each come from the API; one banner says which failed.
  const listsError = templates.error ?? plugins.error ?? models.error;
  const openError = useOpenFailure();
  useAutosave();
  useDiskChanges();

  const runError = view.result?.error ?? null;
  // A run's error names plugin.py's lines; the syntax check, the checked file's.
  const problems = useMemo(() => [
    checkedFile === activeFile ? syntaxError : null,
    activeFile === ENTRY_FILE && runError?.line ? runError : null,
  ].filter((p) => p !== null), [syntaxError, runError, activeFile, checkedFile]);
  const allFiles = useMemo(() => ({ ...files, [ENTRY_FILE]: code }), [files, code]);
  const limits = useMemo(() => lowered(appLimits, manifest.limits), [appLimits, manifest.limits]);

  const run = (): void => void runDraft();
  const cancel = (): void => builderRun.getState().cancel();
  const publishing = usePublish((s) => s.open);
  const publish = (): void => void publishStore.getState().start();
  useEffect(() => registerCommands({ run, cancel, save: () => void saveNow(), publish }));

  return (
    <div className="builder">
      <BuilderToolbar
        templates={templates.data ?? []} plugins={plugins.data ?? []} running={view.status === 'running'}
        onTemplate={(template) => void startFromTemplate(template)} onOpen={(name) => void openWorkspacePlugin(name)} onSave={() => void saveNow()} onRun={run} onCancel={cancel}
        onPublish={publish}
      />
      <EditConflictBanner />
      {openError && <ErrorBanner error={openError} onDismiss={() => openFailure.setState({ error: undefined })} />}
      {listsError && <ErrorBanner error={listsError} onRetry={() => [templates, plugins, models].forEach((list) => list.reload())} />}
      <div className="builder-body">
        <div className="editor-column">
          <div className="editor-files">
            <FilesList />
            <CodeEditor value={shownText} documentId={documentId} path={activeFile} files={allFiles} revision={revision} theme={theme} problems={problems} formatter={editorFormatter}
              onChange={(next, path) => builderStore.getState().setFileText(path, next)} onOpenFile={showFile} onRun={run} onSave={() => void saveNow()} />
          </div>
          {syntaxError && (
            <div className="syntax-banner" role="alert" data-testid="syntax-error">
              {activeFile === ENTRY_FILE ? '' : `${checkedFile}, `}Line {syntaxError.line}{syntaxError.column ? `:${syntaxError.column}` : ''} — {syntaxError.message}
            </div>
          )}
        </div>
        <aside className="side-column">
          <ManifestPanel models={models.data ?? []} />
          <BuilderInput />
          <RunPanes view={view} limits={limits} />
          <TestsPanel />
        </aside>
      </div>
      {publishing && <PublishDialog />}
    </div>
  );
}

/** Go to definition into another of the plugin's files: the files list shows it, so its edits are saved to it. */
function showFile(path: string): boolean {
  builderStore.getState().showFile(path);
  return builderStore.getState().activeFile === path;
}

async function runDraft(): Promise<void> {
  const { code, files, input, manifest } = builderStore.getState();
  await builderRun.getState().start({
    code,
    ...(files && Object.keys(files).length > 0 ? { files } : {}),
    input,
    manifest: { ...(isValidName(manifest.name) ? { name: manifest.name } : {}), models: manifest.models, limits: manifest.limits },
    // Replay mode answers from the plugin's test cases; otherwise the AI answers are kept, so Save
    // as test case can replay this run offline.
    ...(replayMode.getState().on ? { replayTests: true } : { record: true }),
  });
}
