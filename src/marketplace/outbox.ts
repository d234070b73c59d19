import { randomUUID } from 'node:crypto';
import semver from 'semver';
import { toErrorInfo, type ErrorInfo } from '../shared/errors.ts';
import type { OUTBOX_STATES, OutboxItemView } from '../shared/api/schemas/marketplace.ts';
import type { SqlExecutor } from './db/executor.ts';
import type { MarketplaceStore } from './store.ts';
import { isoDate } from './db/dates.ts';
import { isLoginRefusal } from './db/errors.ts';
import { signedVersionSchema, type SignedVersion } from './types.ts';
import { assertVersionGreater, versionNotGreater } from './db/version-rule.ts';

/**
 * The publish outbox, in the local database. A publication is written here *before* it is sent,
 * so it is never lost; its id is the idempotency key stored with the version in the marketplace,
 * so a retry after a lost acknowledgement is recognized and never doubles it.
 *
 * A publication still waiting follows the user's current marketplace: the one that opens this
 * outbox adopts what waits for any other (a database URL corrected after a publish was queued),
 * and sends it from then on. Nothing is dropped: an item that cannot follow (its version is already
 * published or waiting here) is marked refused, with the reason, and stays listed.
 */
export type OutboxStatus = (typeof OUTBOX_STATES)[number];

/** A publication as the outbox lists it: the contract's outbox item (`market.outbox` returns these as they are). */
export type OutboxItem = OutboxItemView;

export interface FlushReport {
  delivered: string[];
  failed: Array<{ id: string; error: ErrorInfo }>;
  pending: number;
}

const MAX_BACKOFF_MS = 15 * 60_000;

/** 2 s, 4 s, 8 s … up to 15 min, with ±20 % jitter so many clients do not retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class Outbox {
  private flushing: Promise<FlushReport> | null = null;

  constructor(private readonly local: SqlExecutor, readonly marketplace: string) {}

  /** Queues a publication, or returns the one already queued for this exact version and code. */
  async enqueue(signed: SignedVersion): Promise<string> {
    await this.adopt();
    const id = randomUUID();
    const inserted = await this.local.query<{ id: string }>(`INSERT INTO library.outbox (id, marketplace, plugin, version, payload)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
    [id, this.marketplace, signed.name, signed.version, JSON.stringify(signed)]);
    if (inserted[0]) return inserted[0].id;
    const [existing] = await this.local.query<{ id: string; status: OutboxStatus; payload: SignedVersion }>(
      `SELECT id, status, payload FROM library.outbox WHERE marketplace = $1 AND plugin = $2 AND version = $3 AND status <> 'failed'`,
      [this.marketplace, signed.name, signed.version]);
    if (existing?.status === 'pending' && existing.payload.sha256 === signed.sha256) return existing.id;
    throw versionNotGreater(`${signed.name}@${signed.version} was already ${existing?.status === 'pending' ? 'queued with different code' : 'published'}`);
  }

  /** Refuses, before queueing, a version not greater than one still waiting here (the same version is `enqueue`'s case). */
  async assertGreaterThanQueued(name: string, version: string): Promise<void> {
    await this.adopt();
    const rows = await this.local.query<{ version: string }>(
      `SELECT version FROM library.outbox WHERE marketplace = $1 AND plugin = $2 AND status = 'pending' AND version <> $3`,
      [this.marketplace, name, version]);
    assertVersionGreater(name, version, semver.rsort(rows.map((row) => row.version))[0], 'which is still waiting in the outbox');
  }

  /**
   * Every publication of this machine, to every marketplace it has used, each with its target
   * ("Your publishes"); those still waiting follow the current marketplace on the next flush.
   */
  async list(): Promise<OutboxItem[]> {
    const rows = await this.local.query<OutboxRow>(`SELECT id, marketplace, plugin, version, status, attempts, next_attempt_at,
      last_error, created_at, delivered_at FROM library.outbox ORDER BY created_at`);
    return rows.map(toItem);
  }

  /**
   * Takes over what waits for another marketplace, due at once (this one was never tried). The oldest
   * of each version follows; one this marketplace already has (published, or waiting) is refused here.
   */
  async adopt(): Promise<void> {
    await this.local.transaction(async (tx) => {
      await tx.query(`UPDATE library.outbox SET marketplace = $1, next_attempt_at = now() WHERE id IN (
        SELECT DISTINCT ON (plugin, version) id FROM library.outbox o WHERE status = 'pending' AND marketplace <> $1
          AND NOT EXISTS (SELECT 1 FROM library.outbox d WHERE d.marketplace = $1 AND d.plugin = o.plugin AND d.version = o.version AND d.status <> 'failed')
        ORDER BY plugin, version, created_at)`, [this.marketplace]);
      const stranded = await tx.query<{ id: string; plugin: string; version: string }>(
        `SELECT id, plugin, version FROM library.outbox WHERE status = 'pending' AND marketplace <> $1`, [this.marketplace]);
      for (const item of stranded) {
        const error = toErrorInfo(versionNotGreater(`${item.plugin}@${item.version} was waiting for another marketplace; ${this.marketplace} already has that version from here`));
        await tx.query(`UPDATE library.outbox SET marketplace = $1, status = 'failed', last_error = $3 WHERE id = $2`,
          [this.marketplace, item.id, JSON.stringify(error)]);
      }
    });
  }

  async get(id: string): Promise<OutboxItem | null> {
    return (await this.list()).find((item) => item.id === id) ?? null;
  }

  /** Sends pending publications in order. `all` ignores the backoff (a user-initiated publish or retry). */
  async flush(store: MarketplaceStore, options: { all?: boolean } = {}): Promise<FlushReport> {
    // One flush at a time per process; a second caller waits for it and then runs its own.
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.deliverDue(store, options.all ?? false);
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private async deliverDue(store: MarketplaceStore, all: boolean): Promise<FlushReport> {
    await this.adopt();
    const report: FlushReport = { delivered: [], failed: [], pending: 0 };
    const due = await this.local.query<{ id: string; payload: unknown }>(`SELECT id, payload FROM library.outbox
      WHERE marketplace = $1 AND status = 'pending' AND ($2 OR next_attempt_at <= now()) ORDER BY created_at`, [this.marketplace, all]);
    for (const [index, item] of due.entries()) {
      const outcome = await this.deliverOne(store, item.id, item.payload);
      if (outcome === 'delivered') report.delivered.push(item.id);
      else if (outcome === 'later') {
        report.pending = due.length - index;
        break;
      } else report.failed.push({ id: item.id, error: outcome });
    }
    return report;
  }

  /**
   * 'later' when the database is unreachable or failed transiently (the store maps both to
   * DB_UNAVAILABLE; the transaction was rolled back whole): the item waits for its next attempt.
   * A refused login waits too: it says nothing about the item, and a corrected URL delivers it
   * (a new publish with such a URL is refused before it is queued: Marketplace.publish).
   */
  private async deliverOne(store: MarketplaceStore, id: string, payload: unknown): Promise<'delivered' | 'later' | ErrorInfo> {
    try {
      await store.publish(signedVersionSchema.parse(payload), id);
      await this.mark(id, 'delivered', null);
      return 'delivered';
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'DB_UNAVAILABLE' || isLoginRefusal(error)) {
        await this.local.query(`UPDATE library.outbox SET attempts = attempts + 1, last_error = $2,
          next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`, [id, JSON.stringify(info), await this.nextDelaySeconds(id)]);
        return 'later';
      }
      // A refusal after a lost acknowledgement may be our own earlier delivery: then it is done.
      if (await store.isDelivered(id).catch(() => false)) {
        await this.mark(id, 'delivered', null);
        return 'delivered';
      }
      await this.mark(id, 'failed', info);
      return info;
    }
  }

  private async nextDelaySeconds(id: string): Promise<number> {
    const [row] = await this.local.query<{ attempts: number }>('SELECT attempts FROM library.outbox WHERE id = $1', [id]);
    return backoffMs((row?.attempts ?? 0) + 1) / 1000;
  }

  private async mark(id: string, status: OutboxStatus, error: ErrorInfo | null): Promise<void> {
    await this.local.query(`UPDATE library.outbox SET status = $2, last_error = $3, attempts = attempts + 1,
      delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1`,
    [id, status, error ? JSON.stringify(error) : null]);
  }
}

interface OutboxRow {
  id: string; marketplace: string; plugin: string; version: string; status: OutboxStatus; attempts: number;
  next_attempt_at: Date; last_error: ErrorInfo | null; created_at: Date; delivered_at: Date | null;
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id, marketplace: row.marketplace, plugin: row.plugin, version: row.version, status: row.status,
    attempts: Number(row.attempts), nextAttemptAt: isoDate(row.next_attempt_at), lastError: row.last_error,
    createdAt: isoDate(row.created_at), deliveredAt: row.delivered_at ? isoDate(row.delivered_at) : null,
  };
}
