import { useEffect, useRef, useState } from 'react';
import type { PublishEvent, PublishStep } from '../../../../shared/api/schemas/marketplace.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { builderStore, useBuilder } from '../../stores/builder.ts';
import { publishStore, usePublish, type FirstPublishReview } from '../../stores/publish.ts';
import { uiStore } from '../../stores/ui.ts';
import { keepOpenWhile } from '../../components/dialogs.ts';
import { useData } from '../../use-data.ts';
import { suggestedRename, suggestedVersion } from '../../versions.ts';
import { TextWithCode } from '../../components/TextWithCode.tsx';

const STEPS: Array<[PublishStep, string]> = [
  ['manifest', 'Manifest'], ['syntax', 'Syntax'], ['version', 'Version bump and ownership'], ['signature', 'Signature'], ['deliver', 'Delivery'],
];
type StepState = PublishEvent['state'] | 'waiting';
// Glyphs every system font has (Debian's Chromium draws ⏸ as an empty box); the words are for screen readers.
const ICONS: Record<StepState, string> = { waiting: '○', running: '…', ok: '✓', failed: '✗', skipped: '–' };
const STATE_WORDS: Record<StepState, string> = { waiting: 'not yet', running: 'checking', ok: 'passed', failed: 'failed', skipped: 'skipped for now' };

/**
 * A refusal in words a user acts on, by error code. NOT_FOUND is an unsaved plugin or a marketplace
 * database that does not exist, UNAUTHORIZED a refused login or a role that is no author: the message says which.
 */
const REFUSALS: Partial<Record<ErrorInfo['code'], string>> = {
  NOT_OWNER: 'Not the owner', ALREADY_EXISTS: 'Name taken', VERSION_NOT_GREATER: 'Version not greater', SYNTAX_ERROR: 'Syntax error',
  INVALID_MANIFEST: 'Manifest problem', BAD_INPUT: 'Not ready to publish', DB_UNAVAILABLE: 'Database unreachable', NOT_FOUND: 'Not found',
  UNAUTHORIZED: 'Refused',
};

/** Publish in one click: saves, then shows each check as it runs and how it ended. */
export function PublishDialog(): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const { steps, result, error, running, review } = usePublish((s) => s);
  const manifest = useBuilder((s) => s.manifest);
  const publish = (): void => void publishStore.getState().start();
  const description = useOwnDescription(review);
  const publishFirst = (): void => {
    if (description.asked) builderStore.getState().setManifest({ description: description.value.trim() });
    void publishStore.getState().start({ reviewed: true });
  };
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const done = Object.values(steps).filter((s) => s.state !== 'running').length;
  const bump = suggestedVersion(error, manifest.version);
  const rename = suggestedRename(error);
  return (
    // A <dialog> opened with showModal() is already role=dialog and modal (aria-modal) to assistive technology, takes focus,
    // closes on Escape (not while publishing, as Close is disabled then) and gives focus back to what had it: no role or
    // aria-modal attribute is needed (publish-dialog e2e).
    <dialog ref={ref} className="publish-dialog" aria-labelledby="publish-title" onClose={() => publishStore.getState().close()} onCancel={keepOpenWhile(running)} data-testid="publish-dialog">
      <h2 id="publish-title">Publish {manifest.name} {manifest.version}</h2>
      <progress max={STEPS.length} value={result ? STEPS.length : done} aria-label="Publish progress" />
      <ol className="publish-steps">
        {STEPS.map(([step, label]) => {
          const s = steps[step];
          const state: StepState = s?.state ?? 'waiting';
          return (
            <li key={step} className={`step-${state}`} data-testid={`publish-step-${step}`} data-state={state}>
              <span className="step-icon" aria-hidden="true">{ICONS[state]}</span>
              <span>{label}<span className="visually-hidden">: {STATE_WORDS[state]}</span></span>
              {s?.detail && <small>{s.detail}</small>}
            </li>
          );
        })}
      </ol>
      {review && <FirstPublishNotice review={review} description={description} />}
      <div role="status" aria-live="polite" data-testid="publish-outcome">
        {result?.status === 'published' && <div className="notice tone-ok">Published {result.name} {result.version}.</div>}
        {result?.status === 'queued' && (
          <div className="notice tone-busy">
            <strong>Queued.</strong> The marketplace database is unreachable, so {result.name} {result.version} waits on this machine
            and is delivered by itself once the database is back.
          </div>
        )}
        {error && (
          <div className="notice tone-error" role="alert">
            <strong>{REFUSALS[error.code] ?? 'Could not publish'}:</strong> <TextWithCode text={error.message} />
            {error.hint && <div className="hint"><TextWithCode text={error.hint} /></div>}
          </div>
        )}
      </div>
      <div className="dialog-actions">
        {review && (
          <button type="button" className="primary" disabled={running || !description.ready} onClick={publishFirst}>
            Publish for the first time
          </button>
        )}
        {result?.status === 'queued' && <button type="button" onClick={() => { ref.current?.close(); uiStore.getState().setScreen('marketplace'); }}>See your publishes</button>}
        {bump && (
          <button type="button" className="primary" disabled={running} onClick={() => { builderStore.getState().setManifest({ version: bump }); publish(); }}>
            Raise to {bump} and publish
          </button>
        )}
        {rename && (
          <button type="button" className="primary" disabled={running} onClick={() => { builderStore.getState().setManifest({ name: rename }); publish(); }}>
            Rename to {rename} and publish
          </button>
        )}
        {error && !bump && !rename && <button type="button" disabled={running} onClick={publish}>Try again</button>}
        {/* The fix, when the refusal's typed details give one, is the primary action; Close is then secondary. */}
        <button type="button" className={bump || rename || review ? undefined : 'primary'} onClick={() => ref.current?.close()} disabled={running}>{review ? 'Cancel' : 'Close'}</button>
      </div>
    </dialog>
  );
}

interface OwnDescription {
  /** The draft's description is empty or a template's: the author is asked for theirs. */
  asked: boolean;
  /** What the template said, when the draft still carries it. */
  leftover?: string;
  value: string;
  set(value: string): void;
  /** The first publish may go ahead: the templates were read, and no description is asked or one of the author's own is typed. */
  ready: boolean;
}

/**
 * A plugin made from a template keeps the template's description until its author writes one; the
 * first publish would make it the card's text for good (new-user trial), so the dialog asks instead.
 */
function useOwnDescription(review: FirstPublishReview | undefined): OwnDescription {
  const templates = useData(() => api().call('templates.list', {}), []);
  const [value, setValue] = useState('');
  // A list that cannot be read blocks nothing: only an empty description is then asked for.
  const leftovers = templates.data ? new Set(templates.data.flatMap((t) => [t.description.trim(), t.manifest.description.trim()]))
    : templates.error ? new Set<string>() : undefined;
  const isOwn = (text: string): boolean => text.trim() !== '' && leftovers !== undefined && !leftovers.has(text.trim());
  const asked = review !== undefined && !isOwn(review.description);
  const leftover = asked && review.description.trim() ? review.description : undefined;
  return { asked, leftover, value, set: setValue, ready: leftovers !== undefined && (!asked || isOwn(value)) };
}

/** What becomes public with a name's first publish, and that the name stays the author's for good. */
function FirstPublishNotice({ review, description }: { review: FirstPublishReview; description: OwnDescription }): React.JSX.Element {
  return (
    <section className="notice tone-busy first-publish" aria-labelledby="first-publish-title" data-testid="first-publish-review">
      <h3 id="first-publish-title">{review.unchecked ? `Publishing ${review.name}: maybe its first` : `First publish of ${review.name}`}</h3>
      {review.unchecked && (
        <p data-testid="first-publish-unchecked">
          The marketplace cannot be reached, so whether {review.name} was published before is not known. The publish waits on this
          machine and is delivered once the marketplace is back; if it is the name&apos;s first, this is what becomes public:
        </p>
      )}
      {!review.unchecked && <p>This becomes public on the marketplace, signed with your author key:</p>}
      <dl className="declarations">
        <div className="declaration-row"><dt>Name and version</dt><dd>{review.name} {review.version}</dd></div>
        {description.asked ? <DescriptionField description={description} /> : (
          <div className="declaration-row"><dt>Description</dt><dd>{review.description}</dd></div>
        )}
        <div className="declaration-row"><dt>Tags</dt><dd>{review.tags.join(', ') || 'none'}</dd></div>
        <div className="declaration-row"><dt>Models it calls</dt><dd>{review.models.join(', ') || 'none'}</dd></div>
        <div className="declaration-row"><dt>Code</dt><dd>all of its files: {review.files.join(', ')} ({review.size})</dd></div>
      </dl>
      <p><strong>The name stays yours for good:</strong> unpublishing hides the plugin, but nobody else can take its name.</p>
    </section>
  );
}

/** Asked in place of the template's description (or of none): what this plugin does, for its card and search. */
function DescriptionField({ description }: { description: OwnDescription }): React.JSX.Element {
  return (
    <div className="declaration-row">
      <dt><label htmlFor="publish-description">Description</label></dt>
      <dd>
        <textarea id="publish-description" rows={2} maxLength={2000} value={description.value} aria-describedby="publish-description-why"
          placeholder="What does this plugin do? Shown on its card, and found by search" onChange={(e) => description.set(e.target.value)} />
        <small id="publish-description-why" className="field-warn">
          {description.leftover
            ? `"${description.leftover}" is the template's description: say what your plugin does.`
            : 'A plugin needs a description to be published: say what it does.'}
        </small>
      </dd>
    </div>
  );
}
