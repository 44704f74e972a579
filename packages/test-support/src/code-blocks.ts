/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The language, the first word of the info string (`ts`, `sh`, ``). */
  lang: string;
  /** The other words of the info string (`doctest`, `by-hand`, ...). */
  tags: string[];
  /** The text between the fences. */
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks (``` or ~~~, three or more) of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const [lang = '', ...tags] = open[2].trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j])) body.push(lines[j++]);
    out.push({ lang, tags, code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}
