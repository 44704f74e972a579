import { useEffect, useState } from 'preact/hooks';
import { validationProblem, type ValueMode } from './validate.js';

/**
 * A value's text with a choice of JSON or YAML checking: the problem, if any, shows under the
 * text as one types, and `problem` tells the page (which does not save an invalid value).
 */
export function ValueEditor(props: {
  text: string;
  mode: ValueMode;
  onText: (text: string) => void;
  onMode: (mode: ValueMode) => void;
  onProblem: (problem: string | null) => void;
  problem: string | null;
}) {
  const [checked, setChecked] = useState(true);
  useEffect(() => {
    let current = true;
    setChecked(false);
    void validationProblem(props.text, props.mode).then((p) => {
      if (!current) return;
      props.onProblem(p);
      setChecked(true);
    });
    return () => {
      current = false;
    };
  }, [props.text, props.mode]);
  const format = () => {
    try {
      props.onText(JSON.stringify(JSON.parse(props.text), null, 2));
    } catch {
      // The problem is already shown.
    }
  };
  return (
    <div class="editor">
      <div class="toolbar">
        <label class="filter">
          <span>Check as</span>
          <select value={props.mode} onChange={(e) => props.onMode((e.target as HTMLSelectElement).value as ValueMode)}>
            <option value="text">Plain text</option>
            <option value="json">JSON</option>
            <option value="yaml">YAML</option>
          </select>
        </label>
        {props.mode === 'json' && (
          <button type="button" onClick={format} disabled={props.problem !== null}>
            Format JSON
          </button>
        )}
      </div>
      <label class="value">
        <span>Value</span>
        <textarea
          rows={12}
          spellcheck={false}
          value={props.text}
          aria-invalid={props.problem !== null}
          aria-describedby="value-problem"
          onInput={(e) => props.onText((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <p id="value-problem" class={props.problem ? 'problem' : 'muted'} aria-live="polite">
        {props.problem ?? (checked && props.mode !== 'text' ? `Valid ${props.mode.toUpperCase()}.` : '')}
      </p>
    </div>
  );
}
