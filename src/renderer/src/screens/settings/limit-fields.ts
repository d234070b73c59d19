import { LIMIT_MAXIMA } from '../../../../shared/api/schemas/limits.ts';
import type { LimitsView } from '../../../../shared/api/schemas/limits.ts';

/** Each limit as the Settings form shows it: its label, its unit, and the factor from that unit to the stored value. */
export const LIMIT_FIELDS: Array<{ key: keyof LimitsView; label: string; unit: string; scale: number }> = [
  { key: 'wallTimeMs', label: 'Time (s)', unit: 's', scale: 1000 },
  { key: 'computeTimeMs', label: 'Compute time (s)', unit: 's', scale: 1000 },
  { key: 'memoryBytes', label: 'Memory (MiB)', unit: 'MiB', scale: 1024 * 1024 },
  { key: 'aiCalls', label: 'AI calls per run', unit: '', scale: 1 },
  { key: 'aiTokens', label: 'AI tokens per run', unit: '', scale: 1 },
  { key: 'promptChars', label: 'Prompt characters', unit: '', scale: 1 },
  { key: 'inputBytes', label: 'Input (KiB)', unit: 'KiB', scale: 1024 },
  { key: 'outputBytes', label: 'Output (KiB)', unit: 'KiB', scale: 1024 },
  { key: 'logBytes', label: 'Logs (KiB)', unit: 'KiB', scale: 1024 },
];

/** Limits that may be 0 (no AI at all); the rest must let a run do something. */
const ZERO_ALLOWED: ReadonlySet<keyof LimitsView> = new Set(['aiCalls', 'aiTokens']);

/**
 * What is wrong with a limit as typed, in the form's units and in words, or nothing (empty: the
 * default). Checked before sending: the API's refusal names stored units ("4294967296").
 */
export function limitFieldProblem(field: (typeof LIMIT_FIELDS)[number], typed: string): string | undefined {
  const text = typed.trim();
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Must be a number';
  // Calls, tokens and characters are counted: 2.5 was rounded to 3 without a word (new-user trial).
  if (field.scale === 1 && !Number.isInteger(value)) return 'Must be a whole number';
  const stored = Math.round(value * field.scale);
  if (ZERO_ALLOWED.has(field.key) ? stored < 0 : stored < 1) return ZERO_ALLOWED.has(field.key) ? 'Must be 0 or more' : 'Must be a positive number';
  if (stored > LIMIT_MAXIMA[field.key]) return `At most ${LIMIT_MAXIMA[field.key] / field.scale}${field.unit ? ` ${field.unit}` : ''}`;
  return undefined;
}

/** A limit as stored, in the form's units (what settings.update takes). */
export function storedLimit(field: (typeof LIMIT_FIELDS)[number], typed: string): number {
  return Math.round(Number(typed.trim()) * field.scale);
}
