/** A labelled search box that filters a list as one types. */
export function FilterInput(props: { value: string; onInput: (value: string) => void; label: string }) {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <input type="search" value={props.value} onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}
