import type { PluginManifest } from './api/schemas/plugins.ts';
import { describeDeclared } from './units.ts';

/** What an update changes in what a plugin declares, as the install consent shows it (app and CLI alike). */
export interface DeclarationChanges {
  modelsAdded: string[];
  modelsDropped: string[];
  /** Each limit the plugin sets itself that changed: its label, before and after (null: not set). */
  limits: Array<{ label: string; before: string | null; after: string | null }>;
  inputType: { before: string; after: string } | null;
}

type Declared = Pick<PluginManifest, 'models' | 'limits' | 'inputType'>;

export function declarationChanges(before: Declared, after: Declared): DeclarationChanges {
  const [was, now] = [new Map(describeDeclared(before.limits)), new Map(describeDeclared(after.limits))];
  const labels = [...new Set([...was.keys(), ...now.keys()])];
  return {
    modelsAdded: after.models.filter((model) => !before.models.includes(model)),
    modelsDropped: before.models.filter((model) => !after.models.includes(model)),
    limits: labels.filter((label) => was.get(label) !== now.get(label))
      .map((label) => ({ label, before: was.get(label) ?? null, after: now.get(label) ?? null })),
    inputType: before.inputType === after.inputType ? null : { before: before.inputType, after: after.inputType },
  };
}

export function noDeclarationChanges(changes: DeclarationChanges): boolean {
  return changes.modelsAdded.length + changes.modelsDropped.length + changes.limits.length === 0 && !changes.inputType;
}
