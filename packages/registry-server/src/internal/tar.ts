/**
 * A minimal ustar writer and reader for regular files: enough for snapshot archives, which
 * `tar tzf` can list. Names are at most 100 bytes; no directories, links or long-name records.
 */
const BLOCK = 512;

export interface TarFile {
  name: string;
  data: Buffer;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
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
    parts.push(header(f.name, f.data.length, mtime), f.data);
    const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

/** The regular files of a tar archive, by name. Throws on a truncated or damaged archive. */
export function unpackTar(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let off = 0;
  for (;;) {
    if (off + BLOCK > buf.length) throw new Error('unexpected EOF');
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return files;
    const sumText = field(h, 148, 8).trim();
    if (!/^[0-7]+$/.test(sumText) || parseInt(sumText, 8) !== checksum(h)) throw new Error(`invalid tar header at byte ${off}`);
    const sizeText = field(h, 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeText)) throw new Error(`invalid size in tar header at byte ${off}`);
    const size = parseInt(sizeText, 8);
    const prefix = field(h, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(h, 0, 100);
    const type = String.fromCharCode(h[156]!);
    off += BLOCK;
    if (off + size > buf.length) throw new Error('unexpected EOF');
    if (type === '0' || type === '\0') files.set(name, Buffer.from(buf.subarray(off, off + size)));
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
}
