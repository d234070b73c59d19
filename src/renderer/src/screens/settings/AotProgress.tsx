import { useEffect, useState } from 'react';
import type { AotStatus } from '../../../../shared/api/schemas/system.ts';
import { api } from '../../api/client.ts';

/** How often Settings asks again while a compile is under way. */
const POLL_MS = 2000;

/**
 * WasmEdge's compile to native code: its progress while it runs (the status is asked again every
 * 2 s), or a button that starts it (the same detached job a run starts; a failed one is tried again).
 */
export function AotProgress({ aot, reload }: { aot: AotStatus; reload(): void }): React.JSX.Element | null {
  const [starting, setStarting] = useState(false);
  const compiling = aot.state === 'compiling';
  useEffect(() => {
    if (!compiling) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [compiling, reload]);
  const start = (): void => {
    setStarting(true);
    void api().call('engines.prepare', { engine: 'wasmedge' }).finally(() => {
      setStarting(false);
      reload();
    });
  };
  if (compiling) {
    return (
      <span className="aot-progress" data-testid="aot-progress">
        <progress max={100} value={aot.percent ?? 0} aria-label="WasmEdge native-code compile" /> {aot.percent ?? 0}% · {aot.phase}
      </span>
    );
  }
  if (aot.state !== 'absent' && aot.state !== 'failed') return null;
  return (
    <button type="button" onClick={start} disabled={starting} data-testid="aot-prepare"
      title="Compiles python.wasm to native code once for this WasmEdge version (minutes, ~2 GB of memory); runs are interpreted until then">
      {aot.state === 'failed' ? 'Try the native-code compile again' : 'Compile to native code now'}
    </button>
  );
}
