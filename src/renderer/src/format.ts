/** Small display helpers shared by the screens. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A key fingerprint shortened for a card; the full one is in the title. */
export function shortFingerprint(fingerprint: string | null): string {
  if (!fingerprint) return 'no key';
  return fingerprint.length > 20 ? `${fingerprint.slice(0, 18)}…` : fingerprint;
}

/** "not tried yet", "tried once", "tried 3 times": words, never "time(s)". */
export function triedText(attempts: number): string {
  return attempts === 0 ? 'not tried yet' : attempts === 1 ? 'tried once' : `tried ${attempts} times`;
}
