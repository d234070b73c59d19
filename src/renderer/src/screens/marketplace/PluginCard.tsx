import { useRef } from 'react';
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
  const nameButton = useRef<HTMLButtonElement>(null);
  const pressedAt = useRef<{ x: number; y: number }>(undefined);
  return (
    // The whole card is the pointer's target (users expected it); the name stays the one control for keyboards and screen readers.
    <article className="market-card" aria-labelledby={`card-${card.name}`} data-testid="market-card"
      onMouseDown={(event) => (pressedAt.current = { x: event.clientX, y: event.clientY })}
      onClick={(event) => clickNameFor(event, pressedAt.current, nameButton.current)}>
      <header>
        <h3 id={`card-${card.name}`}>
          <button ref={nameButton} type="button" className="link" onClick={() => marketStore.getState().openDetail(card.name)}>{card.name}</button>
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

/** How far the pointer may move between press and release for it to be a click, not a drag selecting text. */
const CLICK_SLOP_PX = 4;

/**
 * A click on the card's own area does what its name does. Not a click on one of its controls (a tag
 * filters), nor the end of a drag that selected its text to copy: that is reading, not opening.
 */
function clickNameFor(event: React.MouseEvent<HTMLElement>, pressedAt: { x: number; y: number } | undefined, name: HTMLButtonElement | null): void {
  if (!(event.target instanceof Element) || event.target.closest('button, a, input, select, textarea, label') !== null) return;
  if (pressedAt && Math.hypot(event.clientX - pressedAt.x, event.clientY - pressedAt.y) > CLICK_SLOP_PX) return;
  name?.click();
}
