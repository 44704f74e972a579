/**
 * A minimal ustar writer and reader for regular files: enough for snapshot archives, which
 * `tar tzf` can list. Names are at most 100 bytes; no directories, links or long-name records.
 * Archives are written and read either whole (packTar, unpackTar) or as streams (tarHeader,
 * tarPadding, TAR_END; readTar), one file's data at a time.
 */
const BLOCK = 512;
/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

export interface TarFile {
  name: string;
  data: Buffer;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** The header block of a regular file of `size` bytes. */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(octal(checksum(h), 7) + ' ', 148, 'ascii');
  return h;
}

/** The header checksum: the sum of its bytes, the checksum field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum;
}

export function packTar(files: readonly TarFile[], mtime = Date.now()): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(tarHeader(f.name, f.data.length, mtime), f.data);
    parts.push(tarPadding(f.data.length));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}

/** The zeros that follow `size` bytes of file data up to the next block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc(padLength(size));
}

const padLength = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

interface Entry {
  name: string;
  size: number;
  regular: boolean;
}

/** Parses the header block at `off`; null for the zero block that ends the archive. */
function parseHeader(h: Buffer, off: number): Entry | null {
  if (h.every((b) => b === 0)) return null;
  const sumText = field(h, 148, 8).trim();
  if (!/^[0-7]+$/.test(sumText) || parseInt(sumText, 8) !== checksum(h)) throw new Error(`invalid tar header at byte ${off}`);
  const sizeText = field(h, 124, 12).trim();
  if (!/^[0-7]+$/.test(sizeText)) throw new Error(`invalid size in tar header at byte ${off}`);
  const prefix = field(h, 345, 155);
  const type = String.fromCharCode(h[156]!);
  return { name: (prefix ? `${prefix}/` : '') + field(h, 0, 100), size: parseInt(sizeText, 8), regular: type === '0' || type === '\0' };
}

/** The regular files of a tar archive, by name. Throws on a truncated or damaged archive. */
export function unpackTar(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let off = 0;
  for (;;) {
    if (off + BLOCK > buf.length) throw new Error('unexpected EOF');
    const entry = parseHeader(buf.subarray(off, off + BLOCK), off);
    if (!entry) return files;
    off += BLOCK;
    if (off + entry.size > buf.length) throw new Error('unexpected EOF');
    if (entry.regular) files.set(entry.name, Buffer.from(buf.subarray(off, off + entry.size)));
    off += Math.ceil(entry.size / BLOCK) * BLOCK;
  }
}

/** Takes one file's data, a chunk at a time (chunks are only valid until the promise settles). */
export type TarFileSink = (chunk: Buffer) => void | Promise<void>;

/**
 * Reads a tar stream: for each regular file, `onFile(name, size)` returns where its data goes
 * (or null to skip it). Holds at most one header block in memory. Whatever follows the end of
 * the archive is read and dropped (so a damaged compressed tail is still noticed upstream).
 * Throws on a truncated or damaged archive.
 */
export async function readTar(source: AsyncIterable<Buffer>, onFile: (name: string, size: number) => TarFileSink | null): Promise<void> {
  let head = Buffer.alloc(0);
  let offset = 0;
  let data = 0;
  let padding = 0;
  let sink: TarFileSink | null = null;
  let ended = false;
  for await (const chunk of source) {
    let off = 0;
    while (off < chunk.length && !ended) {
      if (data > 0) {
        const n = Math.min(data, chunk.length - off);
        if (sink) await sink(chunk.subarray(off, off + n));
        data -= n;
        off += n;
        offset += n;
      } else if (padding > 0) {
        const n = Math.min(padding, chunk.length - off);
        padding -= n;
        off += n;
        offset += n;
      } else {
        const n = Math.min(BLOCK - head.length, chunk.length - off);
        head = Buffer.concat([head, chunk.subarray(off, off + n)]);
        off += n;
        if (head.length < BLOCK) continue;
        const entry = parseHeader(head, offset);
        offset += BLOCK;
        head = Buffer.alloc(0);
        if (!entry) ended = true;
        else {
          sink = entry.regular ? onFile(entry.name, entry.size) : null;
          data = entry.size;
          padding = padLength(entry.size);
        }
      }
    }
  }
  if (!ended) throw new Error('unexpected EOF');
}
