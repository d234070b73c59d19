import { useMarket } from '../../stores/market.ts';
import { Browse } from './Browse.tsx';
import { DetailView } from './DetailView.tsx';
import { PendingPublishes } from './PendingPublishes.tsx';

/** Find plugins others published, review one, install it with consent; see your own publishes on their way. */
export function MarketplaceScreen(): React.JSX.Element {
  const open = useMarket((s) => s.open);
  return (
    <div className="marketplace">
      <main className="market-main">
        {open ? <DetailView name={open.name} version={open.version} askInstall={open.askInstall} /> : <Browse />}
      </main>
      <aside className="market-side" aria-label="Your publishes">
        <PendingPublishes />
      </aside>
    </div>
  );
}
