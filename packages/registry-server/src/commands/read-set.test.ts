import { expect } from 'chai';
import { StateStore } from '../state/state-store.js';
import { ownedKey } from '../structs/change.js';
import { configEntrySetTx } from './config-entry.js';
import { deregisterTx } from './deregister.js';
import { kvDeleteTreeTx } from './kv-delete.js';
import { kvLockTx } from './kv-lock.js';
import { kvSetTx } from './kv-set.js';
import { registerTx } from './register.js';
import { registerRequest, serviceInput } from './test-support.js';
import { Txn } from './txn.js';

describe('the read set a command records (its write preconditions)', () => {
  let store: StateStore;
  const run = (command: (tx: Txn) => unknown) => {
    const tx = new Txn(store);
    command(tx);
    return tx;
  };
  const commit = (command: (tx: Txn) => unknown) => {
    const tx = run(command);
    store.commit(store.revision + 1, tx.changes());
  };

  beforeEach(() => {
    store = new StateStore();
    commit((tx) => registerTx(tx, registerRequest('n1', { Service: serviceInput('web') })));
    commit((tx) => kvSetTx(tx, { Key: 'app/a', Value: Buffer.from('1'), Flags: 0 }));
  });

  it('records each entity read from the store with the ModifyIndex it had (0 when absent), at the revision the command ran at', () => {
    const tx = run((t) => kvSetTx(t, { Key: 'app/a', Value: Buffer.from('2'), Flags: 0, Cas: 2 }));
    expect(tx.reads.base).to.equal(2);
    expect([...tx.reads.entities.values()]).to.deep.equal([{ t: 'kv', k: 'app/a', index: 2 }]);
    const absent = run((t) => kvSetTx(t, { Key: 'app/new', Value: null, Flags: 0 }));
    expect([...absent.reads.entities.values()]).to.deep.equal([{ t: 'kv', k: 'app/new', index: 0 }]);
  });

  it('records no read of what the transaction wrote itself', () => {
    const tx = run((t) => {
      kvSetTx(t, { Key: 'fresh', Value: Buffer.from('1'), Flags: 0 });
      kvSetTx(t, { Key: 'fresh', Value: Buffer.from('2'), Flags: 0 });
    });
    expect([...tx.reads.entities.values()]).to.deep.equal([{ t: 'kv', k: 'fresh', index: 0 }]);
  });

  it('guards the ranges a command depended on as a whole (a KV prefix, a node\'s services and checks, sessions) and reads that refused it', () => {
    const tree = run((t) => kvDeleteTreeTx(t, { Prefix: 'app/' }));
    expect([...tree.reads.ranges.values()]).to.deep.include({ t: 'kv-prefix', prefix: 'app/' });
    const node = run((t) => deregisterTx(t, { Node: 'n1' }));
    const ranges = [...node.reads.ranges.values()];
    expect(ranges).to.deep.include.members([{ t: 'node-services', node: 'n1' }, { t: 'node-checks', node: 'n1' }, { t: 'sessions' }]);
    expect([...node.reads.entities.values()]).to.deep.include({ t: 'service', k: ownedKey('n1', 'web'), index: 1 });
    const tx = new Txn(store);
    expect(() => kvLockTx(tx, { Key: 'app/lock', Value: null, Flags: 0, Session: 'no-such-session' })).to.throw(/invalid session/);
    // Refused because the session is absent: absent it must still be when the refusal stands.
    expect([...tx.reads.entities.values()]).to.deep.include({ t: 'session', k: 'no-such-session', index: 0 });
  });

  it('a service-defaults write guards the set of ingress gateways it checked (one created meanwhile on another server may not slip past)', () => {
    const tx = run((t) => configEntrySetTx(t, { Kind: 'service-defaults', Name: 'web', Protocol: 'http' }));
    expect([...tx.reads.ranges.values()]).to.deep.include({ t: 'config-kind', kind: 'ingress-gateway' });
  });
});
