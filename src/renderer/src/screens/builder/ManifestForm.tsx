import { useState } from 'react';
import { PLUGIN_NAME_RULE, SEMVER_PATTERN, TAG_PATTERN } from '../../../../shared/api/names.ts';
import type { InputType, PluginManifest } from '../../../../shared/api/schemas/plugins.ts';
import { Field } from '../../components/Field.tsx';
import { isValidName, useBuilder } from '../../stores/builder.ts';

const INPUT_TYPES: Array<[InputType, string]> = [['text', 'Text'], ['file', 'File'], ['json', 'JSON']];

/**
 * The manifest, folded under its summary line. It opens by itself when the name is not valid (a
 * draft cannot be saved without one) but never shuts by itself: it shut as soon as a name typed key
 * by key became valid, and took the focus and the keys still to come with it (new-user trial).
 */
export function ManifestPanel({ models }: { models: string[] }): React.JSX.Element {
  const manifest = useBuilder((s) => s.manifest);
  const nameValid = isValidName(manifest.name);
  const [open, setOpen] = useState(!nameValid);
  const [wasValid, setWasValid] = useState(nameValid);
  if (wasValid !== nameValid) {
    setWasValid(nameValid);
    if (!nameValid) setOpen(true);
  }
  return (
    // The form scrolls inside its own box, so the result below stays in view while the manifest is open.
    <details className="manifest" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Manifest · {manifest.name} {manifest.version}</summary>
      <ManifestForm models={models} />
    </details>
  );
}

/** plugin.json as a form: what the plugin is, what it takes, which models it calls, which limits it lowers. */
function ManifestForm({ models }: { models: string[] }): React.JSX.Element {
  const manifest = useBuilder((s) => s.manifest);
  const revision = useBuilder((s) => s.revision);
  const setManifest = useBuilder((s) => s.setManifest);
  const badTags = manifest.tags.filter((t) => !TAG_PATTERN.test(t));
  const allModels = [...new Set([...models, ...manifest.models])].sort();
  return (
    <form className="manifest-form" aria-label="Plugin manifest" onSubmit={(e) => e.preventDefault()}>
      <div className="row">
        <Field label="Name" error={isValidName(manifest.name) ? undefined : PLUGIN_NAME_RULE}>
          <input value={manifest.name} onChange={(e) => setManifest({ name: e.target.value.trim() })} spellCheck={false} />
        </Field>
        <Field label="Version" error={SEMVER_PATTERN.test(manifest.version) ? undefined : 'Use a version such as 1.0.0'}>
          <input value={manifest.version} onChange={(e) => setManifest({ version: e.target.value.trim() })} spellCheck={false} />
        </Field>
      </div>
      <Field label="Description">
        <input value={manifest.description} maxLength={2000} onChange={(e) => setManifest({ description: e.target.value })} />
      </Field>
      <div className="row">
        <Field label="Tags" error={badTags.length ? `Tags are short lowercase words: ${badTags.join(', ')}` : undefined}>
          {/* Keyed by revision: a template or an opened plugin replaces what was typed. */}
          <TagsInput key={revision} initial={manifest.tags} onChange={(tags) => setManifest({ tags })} />
        </Field>
        <Field label="Input type">
          <select value={manifest.inputType} onChange={(e) => setManifest({ inputType: e.target.value as InputType })}>
            {INPUT_TYPES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
        <Field label="Input hint">
          <input value={manifest.inputHint} maxLength={500} onChange={(e) => setManifest({ inputHint: e.target.value })} />
        </Field>
      </div>
      <fieldset className="models">
        <legend>Models it calls <small>(read from the code as you type; a model named by a variable: tick it here)</small></legend>
        {allModels.length === 0 && <small>No models known yet.</small>}
        {allModels.map((model) => (
          <label key={model} className="check">
            <input type="checkbox" checked={manifest.models.includes(model)} onChange={(e) => setManifest({
              models: e.target.checked ? [...manifest.models, model] : manifest.models.filter((m) => m !== model),
            })} />
            {model}
          </label>
        ))}
      </fieldset>
      <LimitFields manifest={manifest} onChange={(limits) => setManifest({ limits })} />
    </form>
  );
}

/** Free text while typing ("a, b,"), a clean list for the manifest; other props (aria-*) go to the input. */
function TagsInput({ initial, onChange, ...rest }: { initial: string[]; onChange: (tags: string[]) => void } & React.AriaAttributes): React.JSX.Element {
  const [text, setText] = useState(initial.join(', '));
  return (
    <input {...rest} value={text} placeholder="text, summary" onChange={(e) => {
      setText(e.target.value);
      onChange(e.target.value.split(',').map((t) => t.trim()).filter(Boolean));
    }} />
  );
}

function LimitFields({ manifest, onChange }: { manifest: PluginManifest; onChange: (limits: PluginManifest['limits']) => void }): React.JSX.Element {
  const set = (key: keyof PluginManifest['limits'], value: string, scale: number): void => {
    const number = Number(value);
    const next = { ...manifest.limits };
    if (value.trim() === '' || !Number.isFinite(number) || number < 0) delete next[key];
    else next[key] = Math.round(number * scale);
    onChange(next);
  };
  const shown = (value: number | undefined, scale: number): string => (value === undefined ? '' : String(value / scale));
  return (
    <fieldset className="limits">
      <legend>Lower the limits <small>(empty: the default)</small></legend>
      <div className="row">
        <Field label="Time (s)"><input inputMode="decimal" value={shown(manifest.limits.wallTimeMs, 1000)} onChange={(e) => set('wallTimeMs', e.target.value, 1000)} /></Field>
        <Field label="Memory (MiB)"><input inputMode="numeric" value={shown(manifest.limits.memoryBytes, 1024 * 1024)} onChange={(e) => set('memoryBytes', e.target.value, 1024 * 1024)} /></Field>
        <Field label="AI calls"><input inputMode="numeric" value={shown(manifest.limits.aiCalls, 1)} onChange={(e) => set('aiCalls', e.target.value, 1)} /></Field>
      </div>
    </fieldset>
  );
}
