const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
};

/** A file error as Go words it (`open FILE: no such file or directory`), as Consul's CLI prints it. */
export function fsErrorText(err: unknown, op: string, file: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code && WORDS[code] ? `${op} ${file}: ${WORDS[code]}` : `${op} ${file}: ${(err as Error)?.message ?? String(err)}`;
}
