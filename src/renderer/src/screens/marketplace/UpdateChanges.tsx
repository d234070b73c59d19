import type { ReviewedVersion } from '../../../../shared/api/schemas/marketplace.ts';
import { declarationChanges, noDeclarationChanges } from '../../../../shared/declaration-changes.ts';
import { api } from '../../api/client.ts';
import { Loading } from '../../components/States.tsx';
import { ReadOnlyDiff } from '../../monaco/ReadOnlyDiff.tsx';
import { useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';

/** An update's consent: what changes from the installed copy, in what it declares and in its code. */
export function UpdateChanges({ name, next }: { name: string; next: ReviewedVersion }): React.JSX.Element {
  const theme = useUi((s) => s.theme);
  const installed = useData(() => api().call('plugins.get', { source: 'installed', name }), [name]);
  if (!installed.data) return installed.error ? <p className="hint">The installed copy could not be read to compare: {installed.error.message}</p> : <Loading label="Comparing…" />;
  const { code, manifest } = installed.data;
  const changes = declarationChanges(manifest, next.manifest);
  return (
    <section className="update-changes" aria-labelledby="update-changes-title" data-testid="update-changes">
      <h3 id="update-changes-title">What changes from {manifest.version}</h3>
      {noDeclarationChanges(changes) ? <p>It declares the same models and limits.</p> : (
        <ul className="changes">
          {changes.modelsAdded.map((model) => <li key={`+${model}`} className="added">Calls a new model: <code>{model}</code></li>)}
          {changes.modelsDropped.map((model) => <li key={`-${model}`} className="removed">No longer calls <code>{model}</code></li>)}
          {changes.limits.map(({ label, before, after }) => <li key={label}>{label}: {before ?? 'not set'} → {after ?? 'not set'}</li>)}
          {changes.inputType && <li>Input: {changes.inputType.before} → {changes.inputType.after}</li>}
        </ul>
      )}
      {code === next.code ? <p>The code is the same.</p> : (
        <ReadOnlyDiff before={code} after={next.code} theme={theme} label={`Changes to the code of ${name}, ${manifest.version} to ${next.version}`} />
      )}
    </section>
  );
}
