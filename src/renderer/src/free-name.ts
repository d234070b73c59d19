/** `name`, or the first of `name-2`, `name-3`, … that no workspace plugin has; a valid name stays valid. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const base = name.replace(/-\d+$/, '').slice(0, 58).replace(/-+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
