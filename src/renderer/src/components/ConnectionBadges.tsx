import type { MarketStatus } from '../../../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../../../shared/api/schemas/system.ts';
import { useConnections } from '../stores/connections.ts';
import { uiStore } from '../stores/ui.ts';

interface Badge {
  tone: 'ok' | 'error' | 'busy';
  text: string;
  title: string;
}

function ollamaBadge(health: ModelHealth | undefined): Badge {
  if (!health) return { tone: 'busy', text: 'Ollama: checking…', title: 'Checking the connection to Ollama' };
  if (!health.reachable) return { tone: 'error', text: 'Ollama: not running', title: health.reason ?? 'Ollama is not reachable' };
  const latency = health.latencyMs === undefined ? '' : ` · ${Math.round(health.latencyMs)} ms`;
  return { tone: 'ok', text: `Ollama ${health.version ?? ''}${latency}`.trim(), title: `Connected to ${health.host ?? 'Ollama'}` };
}

/** What the badge says of a marketplace it cannot use: only an unreachable one is "offline". */
const PROBLEMS: Record<NonNullable<MarketStatus['problem']>, string> = {
  unreachable: 'offline', 'login-refused': 'login refused', 'no-database': 'no such database', busy: 'busy',
};

function marketBadge(status: MarketStatus | undefined): Badge {
  if (!status) return { tone: 'busy', text: 'Marketplace: checking…', title: 'Checking the marketplace database' };
  const waiting = status.pendingOutbox ? ` · ${status.pendingOutbox} waiting` : '';
  const title = `${status.summary}${status.fix ? `\n${status.fix}` : ''}`;
  if (!status.reachable) return { tone: 'error', text: `Marketplace: ${PROBLEMS[status.problem ?? 'unreachable']}${waiting}`, title };
  if (status.schema === 'missing' || status.schema === 'outdated') {
    return { tone: 'error', text: `Marketplace: ${status.schema === 'missing' ? 'not set up' : 'needs migrating'}${waiting}`, title };
  }
  if (status.mode === 'local') return { tone: 'ok', text: `Marketplace: local${waiting}`, title: status.summary };
  return { tone: 'ok', text: `Marketplace: online${status.latencyMs === null ? '' : ` · ${status.latencyMs} ms`}${waiting}`, title: status.summary };
}

/** Connection badges for Ollama and the marketplace; each opens the screen where it can be fixed. */
export function ConnectionBadges({ compact = false }: { compact?: boolean }): React.JSX.Element {
  const ollama = useConnections((s) => s.ollama);
  const market = useConnections((s) => s.market);
  const badges: Array<[Badge, 'models' | 'marketplace', string]> = [[ollamaBadge(ollama), 'models', 'ollama'], [marketBadge(market), 'marketplace', 'marketplace']];
  return (
    <span className={`connection-badges ${compact ? 'compact' : ''}`} role="status" aria-live="polite" aria-label="Connections">
      {badges.map(([badge, screen, id]) => (
        <button key={id} type="button" className={`badge tone-${badge.tone}`} title={badge.title} data-testid={`badge-${id}`}
          onClick={() => uiStore.getState().setScreen(screen)}>
          <span className={`dot ${badge.tone}`} aria-hidden="true" /><span className="badge-text">{badge.text}</span>
        </button>
      ))}
    </span>
  );
}
