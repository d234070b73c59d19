import { useEffect, useRef } from 'react';
import type { MarketDetail } from '../../../../shared/api/schemas/marketplace.ts';
import { ownerLabel } from '../../../../shared/owner-label.ts';
import { describePluginSize, pluginFileNames } from '../../../../shared/plugin-files.ts';
import { api } from '../../api/client.ts';
import { useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { Declarations } from './Declarations.tsx';
import { UpdateChanges } from './UpdateChanges.tsx';
import { keepOpenWhile } from '../../components/dialogs.ts';

interface ConsentProps {
  detail: MarketDetail;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Before a plugin is installed (or updated), the user sees what it declares it will use and agrees
 * to it; the sandbox then holds every run of it to exactly that.
 */
export function ConsentDialog({ detail, busy, onConfirm, onCancel }: ConsentProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const models = useData(() => api().call('models.list', {}), [], { refreshOn: ['models.changed'] });
  const appLimits = useUi((s) => s.appInfo?.limits);
  const { plugin, selected, installed } = detail;
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const verb = installed ? `Update ${plugin.name} to ${selected.version}` : `Install ${plugin.name} ${selected.version}`;
  return (
    <dialog ref={ref} className="consent" aria-labelledby="consent-title" onClose={onCancel} onCancel={keepOpenWhile(busy)} data-testid="consent-dialog">
      <h2 id="consent-title">{verb}?</h2>
      <p>
        By <strong>{ownerLabel(plugin)}</strong>.{' '}
        {selected.verified ? <>Signature verified with the owner&apos;s key <code>{selected.fingerprint}</code>.</> : <strong className="field-error">Signature problem: {selected.problem}</strong>}
      </p>
      {installed && <UpdateChanges name={plugin.name} next={selected} />}
      {Object.keys(selected.files).length > 0 && (
        <p data-testid="consent-files">
          Its files, every one covered by the signature: {pluginFileNames(selected.files).map((path, index) => (
            <span key={path}>{index > 0 && ', '}<code>{path}</code></span>
          ))} ({describePluginSize(selected.code, selected.files)}).
        </p>
      )}
      <h3>It declares it will use</h3>
      <Declarations version={selected} appLimits={appLimits} models={models.data} />
      <p className="hint">WasmForge holds it to exactly this: calls to other models are refused and every run stops at the limits it gets here.</p>
      <div className="dialog-actions">
        <button type="button" onClick={() => ref.current?.close()} disabled={busy}>Cancel</button>
        <button type="button" className="primary" onClick={onConfirm} disabled={busy || !selected.verified} autoFocus>
          {busy ? 'Installing…' : installed ? 'I agree, update' : 'I agree, install'}
        </button>
      </div>
    </dialog>
  );
}
