import { cloneElement, useId } from 'react';

type Control = React.ReactElement<{ 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;

interface FieldProps {
  label: React.ReactNode;
  /** Shown under the control, in red; the control is marked invalid. */
  error?: string;
  /** Shown under the control when there is no error (e.g. "Valid JSON"). */
  note?: React.ReactNode;
  children: Control;
}

/**
 * A labelled control. The error or note sits outside the label and is tied to the control with
 * aria-describedby, so a screen reader names the control by its label alone and reads the error after.
 */
export function Field({ label, error, note, children }: FieldProps): React.JSX.Element {
  const id = useId();
  const description = error ?? note;
  const control = description ? cloneElement(children, { 'aria-describedby': id, ...(error ? { 'aria-invalid': true } : {}) }) : children;
  return (
    <div className="field-group">
      <label className={`field ${error ? 'invalid' : ''}`}>
        <span>{label}</span>
        {control}
      </label>
      {error ? <small id={id} className="field-error" role="alert">{error}</small> : note && <small id={id}>{note}</small>}
    </div>
  );
}
