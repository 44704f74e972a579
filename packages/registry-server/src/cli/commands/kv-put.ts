import type { Query } from '../api-client.js';
import { command, CliError } from '../command.js';
import { UsageError } from '../command-flags.js';
import { decodeBase64, kvPath, readValueArg, unexpected, withPrefix } from '../kv-client.js';

const UINT64 = /^\d+$/;
const MAX_UINT64 = 18446744073709551615n;

export const kvPutCommand = command({
  name: 'kv put',
  synopsis: 'Writes a value to the KV store',
  usage: '[options] KEY [DATA]',
  description: `
Writes DATA at KEY, creating or replacing the entry. DATA is the text itself, @FILE for a
file's contents, or - for standard input; without DATA the value is empty.
With -cas, writes only if the entry's ModifyIndex is still -modify-index. With -acquire or
-release and a -session, takes or gives up the lock on KEY.

  $ praetor kv put redis/config/connections 5
  $ praetor kv put redis/config/cert @cert.pem
  $ praetor kv put -cas -modify-index=123 redis/config/connections 10`,
  http: true,
  flags: {
    acquire: { type: 'bool', usage: 'Take the lock on the key for -session (the key is created if missing). Fails if another session holds it.' },
    base64: { type: 'bool', usage: 'DATA is base64-encoded; write the bytes it decodes to.' },
    cas: { type: 'bool', usage: 'Check-and-set: write only if the key\'s ModifyIndex equals -modify-index.' },
    flags: { type: 'string', arg: 'uint', usage: 'An unsigned 64-bit integer stored with the entry for the client\'s own use. Default 0.' },
    'modify-index': { type: 'uint', usage: 'The ModifyIndex the key must have, with -cas.' },
    release: { type: 'bool', usage: 'Give up the lock -session holds on the key.' },
    session: { type: 'string', usage: 'The session ID for -acquire and -release.' },
  },
  async run({ flags, args, io, client }) {
    const flagValue = flags.flags ?? '0';
    if (!UINT64.test(flagValue) || BigInt(flagValue) > MAX_UINT64) throw new UsageError(`invalid value ${JSON.stringify(flagValue)} for flag -flags: parse error`);
    if (args.length === 0) throw new CliError('Error! Missing KEY argument');
    if (args.length > 2) throw new CliError(`Error! Too many arguments (expected 1 or 2, got ${args.length})`);
    const key = args[0]!;
    let data = args.length === 2 ? await readValueArg(args[1]!, io.stdin) : Buffer.alloc(0);
    if (flags.base64) {
      try {
        data = decodeBase64(data.toString('utf8'));
      } catch (err) {
        throw new CliError(`Error! Cannot base 64 decode data: ${(err as Error).message}`);
      }
    }
    if ((flags.acquire || flags.release) && !flags.session) throw new CliError('Error! Missing -session (required with -acquire and -release)');
    const modifyIndex = flags['modify-index'] ?? 0;
    if (flags.cas && modifyIndex === 0) throw new CliError('Must specify -modify-index with -cas!');
    if (key.startsWith('/')) throw new CliError(`Error! Failed writing data: Invalid key. Key must not begin with a '/': ${key}`);

    const query: Query = { flags: BigInt(flagValue) === 0n ? undefined : flagValue };
    let success: string;
    let refused: string;
    if (flags.cas) {
      query.cas = modifyIndex;
      success = `Success! Data written to: ${key}`;
      refused = `Error! Did not write to ${key}: CAS failed`;
    } else if (flags.acquire) {
      query.acquire = flags.session;
      success = `Success! Lock acquired on: ${key}`;
      refused = 'Error! Did not acquire lock';
    } else if (flags.release) {
      query.release = flags.session;
      success = `Success! Lock released on: ${key}`;
      refused = 'Error! Did not release lock';
    } else {
      success = `Success! Data written to: ${key}`;
      refused = `Error! Failed writing data: the agent did not write ${key}`;
    }
    const res = await withPrefix('Error! Failed writing data: ', () => client().request('PUT', kvPath(key), { query, body: data }));
    if (res.status !== 200) throw new CliError(`Error! Failed writing data: ${unexpected(res)}`);
    if (res.body.toString('utf8').trim() !== 'true') throw new CliError(refused);
    io.stdout.write(`${success}\n`);
    return 0;
  },
});
