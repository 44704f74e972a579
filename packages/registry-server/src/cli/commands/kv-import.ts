import { command, CliError } from '../command.js';
import { parseJson } from '../go-json.js';
import { decodeBase64, kvPath, readValueArg, unexpected, withPrefix } from '../kv-client.js';

interface ImportEntry {
  key: string;
  flags: string;
  value: Buffer;
}

/** A field of an export entry, its name matched case-insensitively as Go's decoder does. */
function field(o: Record<string, unknown>, name: string): unknown {
  const k = Object.keys(o).find((x) => x.toLowerCase() === name);
  return k === undefined ? undefined : o[k];
}

/** Parses and checks the whole export, values decoded, before anything is written. */
function parseExport(text: string): ImportEntry[] {
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (err) {
    throw new CliError(`Cannot unmarshal data: ${(err as Error).message}`);
  }
  if (data === null) return [];
  if (!Array.isArray(data)) throw new CliError('Cannot unmarshal data: expected a JSON array of {"key", "flags", "value"} objects');
  return data.map((raw, i) => {
    if (raw === null) return { key: '', flags: '0', value: Buffer.alloc(0) };
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new CliError(`Cannot unmarshal data: entry ${i} is not an object`);
    const o = raw as Record<string, unknown>;
    const key = field(o, 'key') ?? '';
    const flags = field(o, 'flags') ?? 0;
    const value = field(o, 'value') ?? '';
    if (typeof key !== 'string') throw new CliError(`Cannot unmarshal data: entry ${i}: "key" must be a string`);
    const uint64 = (Number.isSafeInteger(flags) && (flags as number) >= 0) || (typeof flags === 'bigint' && flags >= 0n && flags < 2n ** 64n);
    if (!uint64) {
      throw new CliError(`Cannot unmarshal data: entry ${i}: "flags" must be an unsigned 64-bit integer, not ${String(flags)}`);
    }
    if (typeof value !== 'string') throw new CliError(`Cannot unmarshal data: entry ${i}: "value" must be a base64 string`);
    try {
      return { key, flags: String(flags), value: decodeBase64(value) };
    } catch (err) {
      throw new CliError(`Error base 64 decoding value for key ${key}: ${(err as Error).message}`);
    }
  });
}

export const kvImportCommand = command({
  name: 'kv import',
  synopsis: 'Imports entries from the JSON of "kv export"',
  usage: '[options] [DATA]',
  description: `
Writes every entry of a JSON export (the output of "praetor kv export" or Consul's) into the
KV store. DATA is @FILE, - for standard input, or the JSON itself. The whole export is checked
before anything is written; entries are then written one by one, in order.

  $ praetor kv import @vault.json
  $ praetor kv export vault/ | praetor kv import -http-addr=10.0.0.2:8500 -`,
  http: true,
  flags: {},
  async run({ args, io, client }) {
    if (args.length === 0) throw new CliError('Error! Missing DATA argument');
    if (args.length > 1) throw new CliError(`Error! Too many arguments (expected 1, got ${args.length})`);
    const entries = parseExport((await readValueArg(args[0]!, io.stdin)).toString('utf8'));
    const api = client();
    for (const e of entries) {
      const failed = `Error! Failed writing data for key ${e.key}: `;
      const query = { flags: e.flags === '0' ? undefined : e.flags };
      const res = await withPrefix(failed, () => api.request('PUT', kvPath(e.key), { query, body: e.value }));
      if (res.status !== 200) throw new CliError(failed + unexpected(res));
      if (res.body.toString('utf8').trim() !== 'true') throw new CliError(`${failed}the agent did not write it`);
      io.stdout.write(`Imported: ${e.key}\n`);
    }
    return 0;
  },
});
