import { command, CliError } from '../command.js';
import { parseJson } from '../go-json.js';
import { kvRead, type KvEntryJson } from '../kv-client.js';

/** The value of an entry as printed: its raw bytes, or base64 with -base64. */
function valueOf(e: KvEntryJson, base64: boolean): Buffer {
  const raw = Buffer.from(e.Value ?? '', 'base64');
  return base64 ? Buffer.from(raw.toString('base64')) : raw;
}

/** -detailed: one `Name<padding>value` line per field (an empty value leaves the name alone). */
function detailed(e: KvEntryJson, base64: boolean): Buffer {
  const rows: Array<[string, Buffer]> = [
    ['CreateIndex', Buffer.from(String(e.CreateIndex))],
    ['Flags', Buffer.from(String(e.Flags))],
    ['Key', Buffer.from(e.Key)],
    ['LockIndex', Buffer.from(String(e.LockIndex))],
    ['ModifyIndex', Buffer.from(String(e.ModifyIndex))],
    ['Session', Buffer.from(e.Session || '-')],
    ['Value', valueOf(e, base64)],
  ];
  const parts: Buffer[] = [];
  for (const [name, value] of rows) {
    parts.push(Buffer.from(value.length > 0 ? name.padEnd(17) : name), value, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

export const kvGetCommand = command({
  name: 'kv get',
  synopsis: 'Reads a value, or lists keys or entries under a prefix',
  usage: '[options] [KEY_OR_PREFIX]',
  description: `
Prints the value stored at KEY. With -recurse, prints every entry under the prefix as
"key:value"; with -keys, prints the key names under the prefix, cut after the next -separator.
A missing key is an error (exit 1); an empty prefix prints nothing.

  $ praetor kv get redis/config/connections
  $ praetor kv get -recurse redis/
  $ praetor kv get -keys -separator=/ redis/`,
  http: true,
  flags: {
    base64: { type: 'bool', usage: 'Print the value base64-encoded.' },
    detailed: {
      type: 'bool',
      usage: 'Print the entry\'s metadata (CreateIndex, Flags, LockIndex, ModifyIndex, Session) along with its value.',
    },
    keys: { type: 'bool', usage: 'List the key names under the prefix, without their values. Often used with -separator.' },
    recurse: { type: 'bool', usage: 'Print every entry whose key starts with the given prefix.' },
    separator: {
      type: 'string',
      default: '/',
      usage: 'With -keys, list names only up to the first occurrence of this string after the prefix. Default "/"; empty lists every key.',
    },
  },
  async run({ flags, args, io, client }) {
    if (args.length > 1) throw new CliError(`Too many arguments (expected 1, got ${args.length})`);
    if (args.length === 0 && !flags.keys && !flags.recurse) throw new CliError('Error! Missing KEY argument');
    const key = (args[0] ?? '').replace(/^\//, '');
    const api = client();
    if (flags.keys) {
      const res = await kvRead(api, key, { keys: true, separator: flags.separator });
      for (const k of res ? (parseJson(res.body.toString('utf8')) as string[]) : []) io.stdout.write(`${k}\n`);
      return 0;
    }
    if (flags.recurse) {
      const res = await kvRead(api, key, { recurse: true });
      const entries = res ? (parseJson(res.body.toString('utf8')) as KvEntryJson[]) : [];
      const out: Buffer[] = [];
      entries.forEach((e, i) => {
        if (flags.detailed) out.push(Buffer.from(i > 0 ? '\n' : ''), detailed(e, flags.base64));
        else out.push(Buffer.from(`${e.Key}:`), valueOf(e, flags.base64), Buffer.from('\n'));
      });
      io.stdout.write(Buffer.concat(out));
      return 0;
    }
    const res = await kvRead(api, key, {});
    if (!res) throw new CliError(`Error! No key exists at: ${key}`);
    const [entry] = parseJson(res.body.toString('utf8')) as KvEntryJson[];
    io.stdout.write(flags.detailed ? detailed(entry!, flags.base64) : Buffer.concat([valueOf(entry!, flags.base64), Buffer.from('\n')]));
    return 0;
  },
});
