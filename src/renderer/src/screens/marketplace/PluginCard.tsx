import type { MarketCard } from '../../../../shared/api/schemas/marketplace.ts';
import { ownerName, youToo } from '../../../../shared/owner-label.ts';
import { formatAgo, formatCount, shortFingerprint } from '../../format.ts';
import { marketStore } from '../../stores/market.ts';

/** Verified / not verified / unknown (offline), in words as well as colour. */
export function SignatureBadge({ verified, fingerprint }: { verified: boolean | null; fingerprint: string | null }): React.JSX.Element {
  if (verified === true) return <span className="badge tone-ok" title={`Signed with the owner's key ${fingerprint ?? ''}`}>✓ Verified signature</span>;
  if (verified === false) return <span className="badge tone-error" title="The code is not signed by its owner's registered key">✗ Signature problem</span>;
  return <span className="badge" title="Not checked: the marketplace is offline">? Signature not checked</span>;
}

/** One plugin in the results: what it is, who signs it, how popular, which models it calls. */
export function PluginCard({ card }: { card: MarketCard }): React.JSX.Element {
  const update = card.installedVersion && card.latestVersion && card.installedVersion !== card.latestVersion;
  return (
    <article className="market-card" aria-labelledby={`card-${card.name}`} data-testid="market-card">
      <header>
        <h3 id={`card-${card.name}`}>
          <button type="button" className="link" onClick={() => marketStore.getState().openDetail(card.name)}>{card.name}</button>
        </h3>
        <span className="version">{card.latestVersion ?? 'no version'}</span>
      </header>
      <p className="description">{card.description || <small>No description.</small>}</p>
      <div className="meta">
        <span title={`${card.ownerRole ? `Database role ${card.ownerRole}; ` : ''}owner's key: ${card.ownerFingerprint ?? 'none'}`}>by <strong>{ownerName(card)}</strong>{youToo(card)} · {shortFingerprint(card.ownerFingerprint)}</span>
      </div>
      <div className="meta">
        <SignatureBadge verified={card.verified} fingerprint={card.ownerFingerprint} />
        <span aria-label={`${card.downloads} downloads`}>⬇ {formatCount(card.downloads)}</span>
        <span>{formatAgo(card.updatedAt)}</span>
      </div>
      <div className="chips" aria-label="Models used">
        {card.models.length === 0 ? <small>no AI models</small> : card.models.map((model) => <span key={model} className="chip model">{model}</span>)}
      </div>
      {card.tags.length > 0 && (
        <div className="chips" aria-label="Tags">
          {card.tags.map((tag) => <button key={tag} type="button" className="chip tag" onClick={() => marketStore.getState().setTag(tag)} aria-label={`Show plugins tagged ${tag}`}>#{tag}</button>)}
        </div>
      )}
      {card.installedVersion && <span className={`badge ${update ? 'tone-busy' : 'tone-ok'}`}>{update ? `Update available (installed ${card.installedVersion})` : `Installed ${card.installedVersion}`}</span>}
    </article>
  );
}
