import { useStore } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createStore } from 'zustand/vanilla';
import type { PluginDetail, PluginManifest, PluginTemplate } from '../../../shared/api/schemas/plugins.ts';
import { PLUGIN_NAME_PATTERN } from '../../../shared/api/names.ts';
import { ENTRY_FILE, type PluginFiles } from '../../../shared/plugin-files.ts';
import { withFileAdded, withFileRenamed, withoutFile } from './builder-files.ts';

/** 'new': the untouched starter (not saved anywhere, nothing to lose); the rest as they say. */
export type SaveState = 'new' | 'saved' | 'saving' | 'unsaved' | 'error' | 'draft-only';

export interface BuilderDraft {
  code: string;
  /** The plugin's files beside plugin.py (helpers.py, data/words.txt); {} for a single-file plugin. */
  files?: PluginFiles;
  /** The file in the editor: plugin.py, or one of `files`. */
  activeFile?: string;
  manifest: PluginManifest;
  input: string;
  /** The workspace plugin this draft was last saved as (a rename moves it). */
  savedName?: string;
  /**
   * The user typed the name (or opened a saved plugin). A name the app gave (the default, a
   * template's) may already be taken in the workspace, so the first save picks a free one instead.
   */
  nameChosen?: boolean;
  /** What the plugin on disk was when opened or last saved here (PluginSummary.revision): a save based on another is refused. */
  diskRevision?: string;
}

interface BuilderState extends BuilderDraft {
  saveState: SaveState;
  saveError?: string;
  /** The last save was refused because another program changed the plugin on disk (EDIT_CONFLICT): the user chooses. */
  conflict?: boolean;
  /** Bumped whenever code is replaced from outside the editor (template, open), so the editor reloads. */
  revision: number;
  /**
   * Which document the draft is: `plugin:<name>` once opened from the workspace, `draft:<n>` for a
   * new one. The editor keeps one undo history per document, so no undo crosses from one to another.
   */
  documentId: string;
  setCode(code: string): void;
  /** The text of one file (plugin.py is `code`). */
  setFileText(path: string, text: string): void;
  /** Adds an empty file and shows it; the reason it cannot be added otherwise (a bad or taken path). */
  addFile(path: string): string | null;
  renameFile(from: string, to: string): string | null;
  deleteFile(path: string): void;
  showFile(path: string): void;
  setManifest(patch: Partial<PluginManifest>): void;
  setInput(input: string): void;
  open(detail: PluginDetail): void;
  applyTemplate(template: PluginTemplate): void;
  markSaving(): void;
  markSaved(name: string, diskRevision?: string): void;
  markSaveFailed(message: string, options?: { conflict?: boolean }): void;
  /** Keeps the draft over what is on disk now (`diskRevision`): the next save writes over it. */
  keepDraftOver(diskRevision: string | undefined): void;
  /** The first save found the given name taken: the draft takes a free one (its state is unchanged). */
  adoptFreeName(name: string): void;
}

const DEFAULT_MANIFEST: PluginManifest = {
  name: 'my-plugin', version: '0.1.0', description: '', tags: [], models: [], inputType: 'text', inputHint: '', limits: {},
};

const STARTER_CODE = `from platform_sdk import call_ai, get_input, send_output

text = get_input()
result = call_ai("qwen2.5:1.5b", "Summarize: " + text)
send_output(result)
`;

export function isValidName(name: string): boolean {
  return PLUGIN_NAME_PATTERN.test(name);
}

const afterEdit = (state: BuilderState): Pick<BuilderState, 'saveState'> => ({ saveState: isValidName(state.manifest.name) ? 'unsaved' : 'draft-only' });

/**
 * The Builder's draft. Every keystroke lands in localStorage at once (versioned, checked on
 * load), so a crash or a closed tab never loses code; the workspace copy is saved after a pause.
 */
export const builderStore = createStore<BuilderState>()(persist((set) => ({
  code: STARTER_CODE,
  manifest: DEFAULT_MANIFEST,
  input: 'WebAssembly lets code from many languages run safely at near-native speed.',
  saveState: 'new',
  revision: 0,
  documentId: 'draft:0',
  setCode: (code) => set((s) => ({ code, ...afterEdit({ ...s, code }) })),
  setFileText: (path, text) => set((s) => {
    if (path === ENTRY_FILE) return { code: text, ...afterEdit(s) };
    if (!Object.hasOwn(s.files ?? {}, path)) return {};
    return { files: { ...s.files, [path]: text }, ...afterEdit(s) };
  }),
  addFile: (path) => {
    const { code, files = {} } = builderStore.getState();
    const added = withFileAdded(code, files, path);
    if (typeof added === 'string') return added;
    set((s) => ({ files: added, activeFile: path, ...afterEdit(s) }));
    return null;
  },
  renameFile: (from, to) => {
    const { code, files = {}, activeFile } = builderStore.getState();
    const renamed = withFileRenamed(code, files, from, to);
    if (typeof renamed === 'string') return renamed;
    set((s) => ({ files: renamed, activeFile: activeFile === from ? to : activeFile, ...afterEdit(s) }));
    return null;
  },
  deleteFile: (path) => set((s) => ({
    files: withoutFile(s.files ?? {}, path), activeFile: s.activeFile === path ? ENTRY_FILE : s.activeFile, ...afterEdit(s),
  })),
  showFile: (path) => set((s) => (path === ENTRY_FILE || Object.hasOwn(s.files ?? {}, path) ? { activeFile: path } : {})),
  setManifest: (patch) => set((s) => {
    const manifest = { ...s.manifest, ...patch };
    return { manifest, ...afterEdit({ ...s, manifest }), ...('name' in patch ? { nameChosen: true } : {}) };
  }),
  setInput: (input) => set({ input }),
  open: (detail) => set((s) => ({
    code: detail.code, files: detail.files, activeFile: ENTRY_FILE, manifest: detail.manifest, savedName: detail.manifest.name, nameChosen: true, saveState: 'saved', revision: s.revision + 1,
    documentId: `plugin:${detail.manifest.name}`, diskRevision: detail.summary.revision, conflict: false, saveError: undefined,
  })),
  applyTemplate: (template) => set((s) => ({
    code: template.code, files: {}, activeFile: ENTRY_FILE, manifest: template.manifest, savedName: undefined, nameChosen: false, saveState: 'unsaved', revision: s.revision + 1,
    documentId: `draft:${Date.now()}`, diskRevision: undefined, conflict: false,
  })),
  markSaving: () => set({ saveState: 'saving', saveError: undefined, conflict: false }),
  markSaved: (name, diskRevision) => set((s) => ({ savedName: name, diskRevision, saveState: s.saveState === 'saving' ? 'saved' : s.saveState })),
  markSaveFailed: (saveError, options) => set({ saveState: 'error', saveError, conflict: options?.conflict ?? false }),
  keepDraftOver: (diskRevision) => set((s) => ({ diskRevision, conflict: false, saveError: undefined, ...afterEdit(s) })),
  adoptFreeName: (name) => set((s) => ({ manifest: { ...s.manifest, name } })),
}), {
  name: 'wasmforge.builder',
  version: 1,
  storage: createJSONStorage(() => localStorage),
  partialize: (s): BuilderDraft & { saveState: SaveState } => ({
    code: s.code, files: s.files, activeFile: s.activeFile, manifest: s.manifest, input: s.input, savedName: s.savedName, nameChosen: s.nameChosen, saveState: s.saveState,
    diskRevision: s.diskRevision,
  }),
  // A draft whose last edits may not have reached the workspace is saved again on the next start.
  merge: (persisted, current) => (isDraft(persisted) ? {
    ...current, ...persisted, manifest: { ...DEFAULT_MANIFEST, ...persisted.manifest }, saveState: restoredSaveState(persisted),
  } : current),
}));

function restoredSaveState(draft: BuilderDraft & { saveState?: unknown }): SaveState {
  if (draft.saveState === 'new' || draft.saveState === 'saved') return draft.saveState;
  return isValidName(draft.manifest.name) ? 'unsaved' : 'draft-only';
}

/** A stored draft is used only when it has the right shape; anything else is ignored, never trusted. */
function isDraft(value: unknown): value is BuilderDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Partial<BuilderDraft>;
  return typeof draft.code === 'string' && typeof draft.input === 'string' && typeof draft.manifest === 'object' && draft.manifest !== null
    && typeof draft.manifest.name === 'string' && (draft.savedName === undefined || typeof draft.savedName === 'string')
    && (draft.nameChosen === undefined || typeof draft.nameChosen === 'boolean')
    && (draft.files === undefined || (typeof draft.files === 'object' && draft.files !== null && Object.values(draft.files).every((text) => typeof text === 'string')))
    && (draft.activeFile === undefined || typeof draft.activeFile === 'string')
    && (draft.diskRevision === undefined || typeof draft.diskRevision === 'string');
}

export function useBuilder<T>(selector: (state: BuilderState) => T): T {
  return useStore(builderStore, selector);
}
