import { kvDeleteTx } from '../commands/kv-delete.js';
import { kvLockTx } from '../commands/kv-lock.js';
import { kvSetTx } from '../commands/kv-set.js';
import { sessionCreateTx } from '../commands/session-create.js';
import { registerTx } from '../commands/register.js';
import { checkInput, registerRequest, serviceInput } from '../commands/test-support.js';
import type { Backend } from './backend.js';

/**
 * Fills a backend with a node, a service with a check, KV entries (one binary, one with flags
 * above 2^53), a tombstone, and a session holding a lock.
 */
export async function populate(b: Backend, node = 'n1'): Promise<void> {
  await b.submit((tx) =>
    registerTx(
      tx,
      registerRequest(node, {
        Service: serviceInput('web1', { Service: 'web', Tags: ['a'] }),
        Checks: [checkInput('c1', { ServiceID: 'web1' })],
      }),
    ),
  );
  await b.submit((tx) => kvSetTx(tx, { Key: 'k/text', Value: Buffer.from('hello'), Flags: 0x2ddccbc058a50c18n }));
  await b.submit((tx) => kvSetTx(tx, { Key: 'k/bin', Value: Buffer.from([0, 255, 1]), Flags: 0 }));
  await b.submit((tx) => kvSetTx(tx, { Key: 'k/gone', Value: null, Flags: 0 }));
  await b.submit((tx) => kvDeleteTx(tx, { Key: 'k/gone' }));
  const session = `${node}-0000-0000-0000-000000000001`.slice(-36).padStart(36, '0');
  await b.submit((tx) => sessionCreateTx(tx, { ID: session, Name: 'lock', Node: node, LockDelay: 15e9, Behavior: 'release', TTL: '', NodeChecks: [], ServiceChecks: null }));
  await b.submit((tx) => kvLockTx(tx, { Key: 'k/lock', Value: Buffer.from('held'), Flags: 0, Session: session }));
}
