import { useEffect, useState } from 'react';
import type { LimitsView } from '../../../shared/api/schemas/limits.ts';
import { formatBytes, formatMs, type RunView } from '../run/run-view.ts';

/** Time, memory and AI calls of the current run against its limits; the clock ticks while it runs. */
export function Meter({ view, limits }: { view: RunView; limits?: LimitsView }): React.JSX.Element {
  const elapsed = useElapsed(view);
  const memory = view.result?.memoryBytes;
  return (
    <div className="meter" aria-label="Resource use against limits">
      <Gauge label="Time" value={elapsed} max={limits?.wallTimeMs} text={`${formatMs(elapsed)}${limits ? ` / ${formatMs(limits.wallTimeMs)}` : ''}`} />
      <Gauge label="Memory" value={memory ?? 0} max={limits?.memoryBytes} text={memory === undefined ? '—' : `${formatBytes(memory)}${limits ? ` / ${formatBytes(limits.memoryBytes)}` : ''}`} />
      <Gauge label="AI calls" value={view.aiCalls.length} max={limits?.aiCalls} text={`${view.aiCalls.length}${limits ? ` / ${limits.aiCalls}` : ''}`} />
    </div>
  );
}

function Gauge({ label, value, max, text }: { label: string; value: number; max?: number; text: string }): React.JSX.Element {
  const ratio = max ? Math.min(1, value / max) : 0;
  return (
    <div className="gauge" data-testid={`meter-${label.toLowerCase().replace(' ', '-')}`}>
      <span className="gauge-label">{label}</span>
      <meter min={0} max={1} low={0.7} high={0.9} optimum={0} value={ratio} aria-label={`${label}: ${text}`} />
      <span className="gauge-text">{text}</span>
    </div>
  );
}

function useElapsed(view: RunView): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (view.status !== 'running') return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [view.status]);
  if (view.status === 'running' && view.startedAt !== undefined) return Math.max(0, now - view.startedAt);
  return view.result?.durationMs ?? 0;
}
