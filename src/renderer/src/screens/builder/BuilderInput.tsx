import { Field } from '../../components/Field.tsx';
import { jsonProblem } from '../../json-problem.ts';
import { builderStore, useBuilder } from '../../stores/builder.ts';

/**
 * The input a Builder run gets. A JSON plugin's input is checked as it is typed, as the Runner does
 * (new-user trial), but never blocks a run: trying what the plugin does with bad input is testing too.
 */
export function BuilderInput(): React.JSX.Element {
  const input = useBuilder((s) => s.input);
  const manifest = useBuilder((s) => s.manifest);
  const json = manifest.inputType === 'json';
  const problem = json && input.trim() !== '' ? jsonProblem(input) : undefined;
  return (
    <Field label={json ? 'Input (JSON)' : 'Input'} error={problem && `Not valid JSON: ${problem}`}>
      <textarea value={input} className={json ? 'mono' : undefined} placeholder={manifest.inputHint || 'The text the plugin gets from get_input()'} rows={3}
        spellCheck={!json} onChange={(e) => builderStore.getState().setInput(e.target.value)} data-testid="builder-input" />
    </Field>
  );
}
