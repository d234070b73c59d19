import { useState } from 'react';
import type { InputType } from '../../../../shared/api/schemas/plugins.ts';
import { formatBytes } from '../../run/run-view.ts';
import { runnerStore, useRunner, type FileInput } from '../../stores/runner.ts';

/** The input the plugin asks for: text, a file (text or image, with a preview), or JSON checked as you type. */
export function InputByType({ type, hint, maxBytes }: { type: InputType; hint: string; maxBytes: number }): React.JSX.Element {
  if (type === 'file') return <FileField hint={hint} maxBytes={maxBytes} />;
  if (type === 'json') return <JsonField hint={hint} />;
  return <TextField hint={hint} />;
}

function TextField({ hint }: { hint: string }): React.JSX.Element {
  const text = useRunner((s) => s.text);
  return (
    <label className="field">
      <span>Input</span>
      <textarea rows={6} value={text} placeholder={hint || 'Text for the plugin'} onChange={(e) => runnerStore.getState().setText(e.target.value)} data-testid="runner-input" />
    </label>
  );
}

export function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function JsonField({ hint }: { hint: string }): React.JSX.Element {
  const json = useRunner((s) => s.json);
  const problem = jsonProblem(json);
  return (
    <label className={`field ${problem ? 'invalid' : ''}`}>
      <span>Input (JSON)</span>
      <textarea rows={8} className="mono" value={json} placeholder={hint || '{"key": "value"}'} spellCheck={false} aria-invalid={Boolean(problem)}
        onChange={(e) => runnerStore.getState().setJson(e.target.value)} data-testid="runner-json" />
      {problem ? <small className="field-error" role="alert">Not valid JSON: {problem}</small> : <small className="field-ok">Valid JSON</small>}
      <button type="button" disabled={Boolean(problem)} onClick={() => runnerStore.getState().setJson(JSON.stringify(JSON.parse(json), null, 2))}>Format</button>
    </label>
  );
}

function FileField({ hint, maxBytes }: { hint: string; maxBytes: number }): React.JSX.Element {
  const file = useRunner((s) => s.file);
  const [error, setError] = useState<string>();
  const onPick = async (picked: File | undefined): Promise<void> => {
    setError(undefined);
    runnerStore.getState().setFile(undefined);
    if (!picked) return;
    try {
      runnerStore.getState().setFile(await readFileInput(picked, maxBytes));
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  };
  return (
    <div className="field file-field">
      <label>
        <span>Input file {hint && <small>({hint})</small>}</span>
        <input type="file" onChange={(e) => void onPick(e.target.files?.[0])} data-testid="runner-file" />
      </label>
      {error && <small className="field-error" role="alert">{error}</small>}
      {file && (
        <figure className="file-preview" aria-label={`Preview of ${file.name}`}>
          <figcaption>{file.name} · {formatBytes(file.size)} · {file.kind === 'image' ? 'image (sent as base64 for vision models)' : 'text'}</figcaption>
          {file.kind === 'image' ? <img src={file.previewUrl} alt={file.name} /> : <pre>{file.value.slice(0, 4000)}{file.value.length > 4000 ? '\n…' : ''}</pre>}
        </figure>
      )}
    </div>
  );
}

async function readFileInput(file: File, maxBytes: number): Promise<FileInput> {
  const isImage = file.type.startsWith('image/');
  // base64 grows a file by a third; the sandbox's input limit applies to what the plugin gets.
  const size = isImage ? Math.ceil(file.size / 3) * 4 : file.size;
  if (size > maxBytes) throw new Error(`${file.name} is ${formatBytes(file.size)}; the input limit is ${formatBytes(maxBytes)}`);
  if (isImage) {
    const dataUrl = await readAsDataUrl(file);
    return { name: file.name, size: file.size, type: file.type, kind: 'image', value: dataUrl.slice(dataUrl.indexOf(',') + 1), previewUrl: dataUrl };
  }
  const text = await file.text();
  if (text.includes('\u0000') || (text.match(/\uFFFD/g)?.length ?? 0) > text.length / 100) {
    throw new Error(`${file.name} is neither text nor an image`);
  }
  return { name: file.name, size: file.size, type: file.type || 'text/plain', kind: 'text', value: text };
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}
