/** The version a "not greater" refusal suggests ("… e.g. to 1.0.1."), else the next patch of the current one. */
export function suggestedVersion(hint: string | undefined, current: string): string | undefined {
  const fromHint = /\bto (\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(hint ?? '')?.[1];
  if (fromHint) return fromHint.replace(/\.$/, '');
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(current);
  return match ? `${match[1]}.${match[2]}.${Number(match[3]) + 1}` : undefined;
}
