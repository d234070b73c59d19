import type { MarketDetail } from '../shared/api/schemas/marketplace.ts';
import type { PluginManifest } from '../shared/api/schemas/plugins.ts';
import { declarationChanges } from '../shared/declaration-changes.ts';
import { ownerLabel } from '../shared/owner-label.ts';
import { describePluginSize, ENTRY_FILE, lineCount, pluginFileNames, pluginSize } from '../shared/plugin-files.ts';
import { describeDeclared, formatBytes } from '../shared/units.ts';
import { printable } from './terminal.ts';

/** The installed copy an update replaces, to show what changes. */
export interface InstalledCopy {
  version: string;
  code: string;
  files?: Record<string, string>;
  manifest: PluginManifest;
}

/**
 * What a person consents to before `install` or `update`, as the app's consent dialog shows it:
 * who signed it, the models it may call, the limits it sets itself, the size of all its files; for an
 * update, what changes from the installed copy. Every field comes from the marketplace and is
 * made printable (an author could put control sequences in a description).
 */
export function describeInstall(detail: MarketDetail, installed?: InstalledCopy, options: { bundle?: boolean } = {}): string {
  const { plugin, selected } = detail;
  const signature = selected.verified ? 'signature verified' : `SIGNATURE NOT VERIFIED${selected.problem ? `: ${selected.problem}` : ''}`;
  const lines = [
    options.bundle ? bundleSigner(detail) : `${plugin.name} ${selected.version} by ${ownerLabel(plugin)}, key ${selected.fingerprint.slice(0, 16)}… (${signature})`,
    ...(plugin.description ? [`  ${plugin.description}`] : []),
    `  models it may call: ${selected.manifest.models.join(', ') || 'none'}`,
    `  limits it sets for itself: ${declaredLimits(selected.manifest) || "none (this machine's limits apply)"}`,
    `  input: ${selected.manifest.inputType}; code: ${describePluginSize(selected.code, selected.files)}`,
    ...(Object.keys(selected.files).length > 0 ? [`  files: ${fileList(selected.code, selected.files)}`] : []),
    ...(selected.yanked ? [`  this version is REVOKED: ${selected.yankReason ?? 'no reason given'}`] : []),
    ...(installed ? changesFrom(installed, selected) : []),
  ];
  return lines.map((line) => printable(line)).join('\n') + '\n';
}

/**
 * A bundle (`import`) names no owner anyone checked: only its key, in full (what to compare with the
 * author's), and what was checked. import verifies the signature before showing this.
 */
function bundleSigner({ plugin, selected }: MarketDetail): string {
  const checked = selected.verified ? 'the signature is valid' : `the SIGNATURE IS NOT VALID${selected.problem ? `: ${selected.problem}` : ''}`;
  return `${plugin.name} ${selected.version}, signed by key ${selected.fingerprint} (${checked}; the key is not checked against a marketplace)`;
}

function changesFrom(installed: InstalledCopy, next: MarketDetail['selected']): string[] {
  const changes = declarationChanges(installed.manifest, next.manifest);
  const models = [...changes.modelsAdded.map((m) => `+${m}`), ...changes.modelsDropped.map((m) => `-${m}`)].join(' ');
  const limits = changes.limits.map(({ label, before, after }) => `${label} ${before ?? 'not set'} -> ${after ?? 'not set'}`).join(', ');
  return [
    `  changes from the installed ${installed.version}:`,
    `    models: ${models || 'unchanged'}`,
    `    limits: ${limits || 'unchanged'}`,
    ...(changes.inputType ? [`    input: ${changes.inputType.before} -> ${changes.inputType.after}`] : []),
    `    code: ${sameCode(installed, next) ? 'unchanged' : `${allLines(installed)} -> ${allLines(next)} lines, changed`}`,
    ...fileChanges(installed.files ?? {}, next.files),
  ];
}

/** Every file a multi-file plugin brings, plugin.py first, each with its size: what runs is all of them. */
function fileList(code: string, files: Record<string, string>): string {
  const sized = (path: string, text: string) => {
    const lines = lineCount(text);
    return `${path} (${lines} ${lines === 1 ? 'line' : 'lines'}, ${formatBytes(Buffer.byteLength(text))})`;
  };
  return pluginFileNames(files).map((path) => sized(path, path === ENTRY_FILE ? code : files[path] ?? '')).join(', ');
}

/** The version installed is the one offered, with the same files: there is nothing to install or consent to. */
export function isInstalledAlready(installed: InstalledCopy, next: MarketDetail['selected']): boolean {
  return installed.version === next.version && sameCode(installed, next);
}

/** Every file counts: a changed helper is changed code as much as a changed plugin.py. */
function sameCode(installed: InstalledCopy, next: MarketDetail['selected']): boolean {
  const before = installed.files ?? {};
  const paths = pluginFileNames({ ...before, ...next.files });
  return installed.code === next.code && paths.every((path) => path === ENTRY_FILE || before[path] === next.files[path]);
}

function allLines(version: { code: string; files?: Record<string, string> }): number {
  return pluginSize(version.code, version.files ?? {}).lines;
}

function fileChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes = paths.flatMap((path) => {
    if (!Object.hasOwn(before, path)) return [`${path} added`];
    if (!Object.hasOwn(after, path)) return [`${path} removed`];
    return before[path] === after[path] ? [] : [`${path} changed`];
  });
  return changes.length > 0 ? [`    files: ${changes.join(', ')}`] : [];
}

function declaredLimits(manifest: PluginManifest): string {
  return describeDeclared(manifest.limits).map(([label, value]) => `${label} ${value}`).join(', ');
}
