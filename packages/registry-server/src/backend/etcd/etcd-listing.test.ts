import { expect } from 'chai';
import type { IKeyValue, IRequestOp } from 'etcd3';
import { deregisterTx } from '../../commands/deregister.js';
import { kvDeleteTreeTx, kvDeleteTx } from '../../commands/kv-delete.js';
import { kvLockTx } from '../../commands/kv-lock.js';
import { kvSetTx } from '../../commands/kv-set.js';
import { registerTx } from '../../commands/register.js';
import { sessionCreateTx } from '../../commands/session-create.js';
import { checkInput, registerRequest, serviceInput } from '../../commands/test-support.js';
import { Txn } from '../../commands/txn.js';
import { StateStore } from '../../state/state-store.js';
import { takeSnapshot } from '../../state/snapshot.js';
import { EtcdKeys } from './etcd-keys.js';
import { stateFromListing } from './etcd-listing.js';
import { writeOps } from './etcd-write.js';

/**
 * The keys a sequence of writes leaves in etcd, kept as etcd keeps them (create and mod
 * revision per key; a delete removes the key), so that a listing of them can be compared with
 * the store that followed the same writes one by one (as a server's mirror does).
 */
class EtcdKeySpace {
  readonly keys = new Map<string, IKeyValue>();
  revision = 1;

  apply(ops: IRequestOp[]): number {
    const rev = ++this.revision;
    for (const op of ops) {
      if (op.request_put) {
        const key = op.request_put.key!.toString();
        const old = this.keys.get(key);
        this.keys.set(key, { key: op.request_put.key!, value: op.request_put.value ?? Buffer.alloc(0), create_revision: old?.create_revision ?? String(rev), mod_revision: String(rev), version: '1', lease: '0' });
      } else if (op.request_delete_range) {
        this.keys.delete(op.request_delete_range.key!.toString());
      }
    }
    return rev;
  }
}

describe('a state rebuilt from an etcd listing', () => {
  const keys = new EtcdKeys('praetor', 'dc1');

  it('equals the state that followed the same writes one commit at a time: entities, indexes, tombstones and the index table', () => {
    const followed = new StateStore();
    const etcd = new EtcdKeySpace();
    const write = (command: (tx: Txn) => unknown) => {
      const tx = new Txn(followed);
      command(tx);
      const changes = tx.changes();
      if (changes.length === 0) return;
      const rev = etcd.apply(writeOps(keys, followed, changes).success);
      followed.commit(rev, changes);
    };
    write((tx) => registerTx(tx, registerRequest('n1', { Service: serviceInput('web'), Checks: [checkInput('node-ok')] })));
    write((tx) => registerTx(tx, registerRequest('n2', { Service: serviceInput('web', { ID: 'web-2' }), Checks: [checkInput('web-ok', { ServiceID: 'web-2' })] })));
    write((tx) => registerTx(tx, registerRequest('n3', { Service: serviceInput('db') })));
    write((tx) => kvSetTx(tx, { Key: 'app/a', Value: Buffer.from('1'), Flags: 0 }));
    write((tx) => kvSetTx(tx, { Key: 'app/b', Value: Buffer.from('2'), Flags: 0 }));
    write((tx) => kvSetTx(tx, { Key: 'other/c', Value: Buffer.from('3'), Flags: 0 }));
    const session = '00000000-0000-4000-8000-000000000001';
    write((tx) => sessionCreateTx(tx, { ID: session, Name: '', Node: 'n1', LockDelay: 15e9, Behavior: 'release', TTL: '', NodeChecks: [], ServiceChecks: null }));
    write((tx) => kvLockTx(tx, { Key: 'app/lock', Value: Buffer.from('held'), Flags: 0, Session: session }));
    // Deletes: what they moved is kept only in the index keys and tombstones they leave.
    write((tx) => kvDeleteTx(tx, { Key: 'app/b' }));
    write((tx) => deregisterTx(tx, { Node: 'n3' }));
    write((tx) => deregisterTx(tx, { Node: 'n2', ServiceID: 'web-2' }));
    write((tx) => kvDeleteTreeTx(tx, { Prefix: 'other/' }));
    write((tx) => deregisterTx(tx, { Node: 'n1', CheckID: 'node-ok' }));

    const { store: rebuilt } = stateFromListing(keys, [...etcd.keys.values()], etcd.revision);
    const a = takeSnapshot(followed);
    const b = takeSnapshot(rebuilt);
    const sorted = (entries: Array<[string, number]>) => [...entries].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    expect(b.nodes).to.deep.equal(a.nodes);
    expect(b.services).to.deep.equal(a.services);
    expect(b.checks).to.deep.equal(a.checks);
    expect(b.kv).to.deep.equal(a.kv);
    expect(b.sessions).to.deep.equal(a.sessions);
    expect(sorted(b.tombstones)).to.deep.equal(sorted(a.tombstones));
    expect(Object.fromEntries(sorted(b.index))).to.deep.equal(Object.fromEntries(sorted(a.index)));
    expect(rebuilt.kv.lockedBy(session)).to.deep.equal(['app/lock']);
  });
});
