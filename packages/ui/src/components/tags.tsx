/** A service's tags as small labels. */
export function Tags(props: { tags: readonly string[] | null | undefined }) {
  const tags = props.tags ?? [];
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label="tags">
      {tags.map((t) => (
        <li key={t} class="tag">
          {t}
        </li>
      ))}
    </ul>
  );
}

/** Key/value metadata as a definition list. */
export function MetaList(props: { meta: Record<string, string> | null | undefined; label: string }) {
  const entries = Object.entries(props.meta ?? {});
  if (entries.length === 0) return <p class="muted">No {props.label.toLowerCase()}.</p>;
  return (
    <dl class="meta" aria-label={props.label}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
