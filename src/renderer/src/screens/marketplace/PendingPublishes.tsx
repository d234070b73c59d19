import { useState } from 'react';
import type { OutboxItemView } from '../../../../shared/api/schemas/marketplace.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { formatAgo, triedText } from '../../format.ts';
import { useData } from '../../use-data.ts';

const SHOW_DELIVERED = 5;

/** This machine's publishes: those waiting for the database (with why), those refused, the last ones delivered. */
export function PendingPublishes(): React.JSX.Element {
  // Read again whenever it changes: a publish queued here or elsewhere, a delivery or refusal by the app's retries.
  const outbox = useData(() => api().call('market.outbox', {}), [], { refreshOn: ['outbox.changed'] });
  const [retrying, setRetrying] = useState(false);
  const [failure, setFailure] = useState<ErrorInfo>();
  const waiting = outbox.data?.some((item) => item.status === 'pending') ?? false;

  const retry = async (): Promise<void> => {
    setRetrying(true);
    setFailure(undefined);
    try {
      await api().call('market.retry', {});
    } catch (error) {
      setFailure(errorInfoOf(error));
    } finally {
      setRetrying(false);
    }
  };

  const items = visible(outbox.data ?? []);
  return (
    <section className="pending" aria-labelledby="pending-title">
      <h2 id="pending-title">Your publishes</h2>
      {outbox.error && <ErrorBanner error={outbox.error} onRetry={outbox.reload} />}
      {!outbox.data && !outbox.error && <Loading label="Loading…" />}
      {outbox.data && items.length === 0 && <Empty title="Nothing published from here yet">Publish from the Builder.</Empty>}
      <ol className="outbox" aria-label="Publishes">
        {items.map((item) => <OutboxRow key={item.id} item={item} />)}
      </ol>
      {waiting && <button type="button" onClick={() => void retry()} disabled={retrying}>{retrying ? 'Trying…' : 'Retry now'}</button>}
      {failure && <ErrorBanner error={failure} />}
    </section>
  );
}

function OutboxRow({ item }: { item: OutboxItemView }): React.JSX.Element {
  const state = item.status === 'pending' ? 'Waiting' : item.status === 'delivered' ? 'Delivered' : 'Refused';
  const tone = item.status === 'pending' ? 'busy' : item.status === 'delivered' ? 'ok' : 'error';
  const where = item.marketplace === 'local' ? 'the local marketplace' : item.marketplace;
  return (
    <li className={`outbox-item tone-${tone}`} data-testid="outbox-item" data-status={item.status}>
      <div><strong>{item.plugin}</strong> {item.version} <span className={`badge tone-${tone}`}>{state}</span></div>
      <small>
        {item.status === 'pending' && `Goes to the marketplace set in Settings, even after a change there. Queued ${formatAgo(item.createdAt)}; ${triedText(item.attempts)}${item.lastError ? `: ${item.lastError.message}` : ''}`}
        {item.status === 'delivered' && item.deliveredAt && `Delivered to ${where} ${formatAgo(item.deliveredAt)}`}
        {item.status === 'failed' && item.lastError && `Refused by ${where}: ${item.lastError.code}: ${item.lastError.message}`}
      </small>
    </li>
  );
}

/** Everything still waiting or refused, newest first, then the last few delivered. */
function visible(items: OutboxItemView[]): OutboxItemView[] {
  const newestFirst = [...items].reverse();
  return [...newestFirst.filter((item) => item.status !== 'delivered'), ...newestFirst.filter((item) => item.status === 'delivered').slice(0, SHOW_DELIVERED)];
}
