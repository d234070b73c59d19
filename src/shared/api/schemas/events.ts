import { z } from 'zod';
import { marketStatusSchema } from './marketplace.ts';
import { modelHealthSchema } from './system.ts';

/**
 * What changed in the backend, pushed to every client that watches (`events.watch`): each window
 * and browser tab invalidates what it shows from these instead of polling or guessing from the
 * names of its own calls. Only `connections.changed` carries data (the badges' whole state); the
 * others say which lists to read again, so an event can never disagree with what a read returns.
 */
export const appEventSchema = z.discriminatedUnion('type', [
  /** Ollama or the marketplace came, went or moved (the health monitor's verdict; the first event a watcher gets). */
  z.object({ type: z.literal('connections.changed'), ollama: modelHealthSchema, market: marketStatusSchema }),
  /** Workspace or installed plugins were added, changed or removed. */
  z.object({ type: z.literal('library.changed') }),
  /** A run was kept in the history. */
  z.object({ type: z.literal('history.changed') }),
  /** The settings (or the author identity) changed. */
  z.object({ type: z.literal('settings.changed') }),
  /** Publishes waiting, delivered or refused changed ("Your publishes"). */
  z.object({ type: z.literal('outbox.changed') }),
  /** The catalog changed (a publish, yank or unpublish) or what is installed from it. */
  z.object({ type: z.literal('market.changed') }),
  /** Models were pulled, deleted, approved or taken off the allow-list. */
  z.object({ type: z.literal('models.changed') }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
export type AppEventType = AppEvent['type'];
/** The events that only say which lists to read again. */
export type ChangeEventType = Exclude<AppEventType, 'connections.changed'>;
export const APP_EVENT_TYPES = appEventSchema.options.map((option) => option.shape.type.value) as AppEventType[];
