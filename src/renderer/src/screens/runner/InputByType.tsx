import { useState } from 'react';
import type { InputType } from '../../../../shared/api/schemas/plugins.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBanner } from '../../components/States.tsx';
import { jsonProblem } from '../../json-problem.ts';
import { formatBytes } from '../../run/run-view.ts';
import { runnerStore, useRunner } from '../../stores/runner.ts';
import { readFileInput } from './file-input.ts';

const PREVIEW_CHARS = 4000;

/** The input the plugin asks for: text, a file (text or image, with a preview), or JSON checked as you type. */
export function InputByType({ type, hint, maxBytes }: { type: InputType; hint: string; maxBytes: number }): React.JSX.Element {
  if (type === 'file') return <FileField hint={hint} maxBytes={maxBytes} />;
  if (type === 'json') return <JsonField hint={hint} />;
  return <TextField hint={hint} />;
}

function TextField({ hint }: { hint: string }): React.JSX.Element {
  const text = useRunner((s) => s.text);
  return (
    <Field label="Input">
      <textarea rows={6} value={text} placeholder={hint || 'Text for the plugin'} onChange={(e) => runnerStore.getState().setText(e.target.value)} data-testid="runner-input" />
    </Field>
  );
}

function JsonField({ hint }: { hint: string }): React.JSX.Element {
  const json = useRunner((s) => s.json);
  const problem = jsonProblem(json);
  return (
    <div className="json-field">
      <Field label="Input (JSON)" error={problem && `Not valid JSON: ${problem}`} note={<span className="field-ok">Valid JSON</span>}>
        <textarea rows={8} className="mono" value={json} placeholder={hint || '{"key": "value"}'} spellCheck={false}
          onChange={(e) => runnerStore.getState().setJson(e.target.value)} data-testid="runner-json" />
      </Field>
      <button type="button" disabled={Boolean(problem)} onClick={() => runnerStore.getState().setJson(JSON.stringify(JSON.parse(json), null, 2))}>Format JSON</button>
    </div>
  );
}

function FileField({ hint, maxBytes }: { hint: string; maxBytes: number }): React.JSX.Element {
  const file = useRunner((s) => s.file);
  const [error, setError] = useState<ErrorInfo>();
  const onPick = async (picked: File | undefined): Promise<void> => {
    setError(undefined);
    if (!picked) return;
    runnerStore.getState().setFile(undefined);
    try {
      runnerStore.getState().setFile(await readFileInput(picked, maxBytes));
    } catch (problem) {
      setError(errorInfoOf(problem));
    }
  };
  return (
    <div className="field file-field">
      <span className="field-label">Input file {hint && <small>({hint})</small>}</span>
      {/* The native picker would say "No file chosen" beside a file kept from before; this button says what is chosen. */}
      <label className="file-pick">
        {file ? 'Choose another file…' : 'Choose a file…'}
        <input type="file" className="visually-hidden" data-testid="runner-file"
          onChange={(e) => { void onPick(e.target.files?.[0]); e.target.value = ''; }} />
      </label>
      {error && <ErrorBanner error={error} />}
      {file && (
        <figure className="file-preview" data-testid="file-preview">
          <figcaption>{file.name} · {formatBytes(file.size)} · {file.kind === 'image' ? `${file.type}: the plugin gets it as a data URL, ready for call_ai(images=[…])` : 'text'}</figcaption>
          {file.kind === 'image'
            ? <img src={file.value} alt={`Preview of ${file.name}`} />
            : <pre aria-label={`Preview of ${file.name}`}>{file.value.slice(0, PREVIEW_CHARS)}{file.value.length > PREVIEW_CHARS ? '\n…' : ''}</pre>}
        </figure>
      )}
    </div>
  );
}
