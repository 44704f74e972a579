import { expect } from 'chai';
import winston from 'winston';
import { MemoryBackend } from '../backend/memory-backend.js';
import { registerTx } from '../commands/register.js';
import { checkInput, registerRequest, serviceInput } from '../commands/test-support.js';
import { StateStore } from '../state/state-store.js';
import { Reaper } from './reaper.js';

/** A store with service `web` on node `n`, whose one check is critical with the given reap delay. */
async function storeWithCriticalService(deregisterAfter: string): Promise<StateStore> {
  const store = new StateStore();
  await new MemoryBackend(store).submit((tx) =>
    registerTx(tx, {
      ...registerRequest('n', { Address: '127.0.0.1' }),
      Service: serviceInput('web', { Port: 1 }),
      Checks: [checkInput('c', { Status: 'critical', ServiceID: 'web', Type: 'ttl', Definition: { TTL: '1s', DeregisterCriticalServiceAfter: deregisterAfter } })],
    }),
  );
  return store;
}

describe('Reaper', () => {
  it('deregisters a service whose check has been critical past DeregisterCriticalServiceAfter, not before', async () => {
    const store = await storeWithCriticalService('90s');
    const since = new Map([['c', 1_000_000]]);
    const reaped: string[] = [];
    const reaper = new Reaper(store, 'n', since, async (id) => void reaped.push(id), winston.createLogger({ silent: true }));
    await reaper.reap(1_000_000 + 60_000);
    expect(reaped).to.deep.equal([]);
    await reaper.reap(1_000_000 + 91_000);
    expect(reaped).to.deep.equal(['web']);
  });

  it('never reaps before one minute, whatever the setting', async () => {
    const store = await storeWithCriticalService('1s');
    const reaped: string[] = [];
    const reaper = new Reaper(store, 'n', new Map([['c', 0]]), async (id) => void reaped.push(id), winston.createLogger({ silent: true }));
    await reaper.reap(30_000);
    expect(reaped).to.deep.equal([]);
    await reaper.reap(61_000);
    expect(reaped).to.deep.equal(['web']);
  });
});
