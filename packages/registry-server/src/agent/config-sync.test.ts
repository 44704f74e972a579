import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { MemoryBackend } from '../backend/memory-backend.js';
import { registerTx, type ServiceInput } from '../commands/register.js';
import { registerRequest, serviceInput } from '../commands/test-support.js';
import { StateStore } from '../state/state-store.js';
import { ConfigSync } from './config-sync.js';

const silent = winston.createLogger({ silent: true });
const service = (ID: string): ServiceInput => serviceInput(ID);

describe('ConfigSync', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'praetor-sync-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers across a restart which services came from files, so one dropped meanwhile is removed', async () => {
    const store = new StateStore();
    const backend = new MemoryBackend(store);
    await backend.submit((tx) => registerTx(tx, registerRequest('n')));
    const file = join(dir, 'config-defined.json');
    const first = new ConfigSync(backend, 'n', file, silent);
    await first.load();
    await first.apply({ services: [{ service: service('web'), checks: [] }, { service: service('db'), checks: [] }], checks: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({ services: ['web', 'db'], checks: [] });

    // A new instance over the same (persisted) store, as after a restart, with db gone from the files.
    const second = new ConfigSync(backend, 'n', file, silent);
    await second.load();
    const summary = await second.apply({ services: [{ service: service('web'), checks: [] }], checks: [] });
    expect(summary.services).to.deep.equal({ added: [], changed: [], removed: ['db'] });
    expect(store.catalog.nodeServices('n').map((s) => s.ID)).to.deep.equal(['web']);
  });

  it('runs syncs one at a time, in call order', async () => {
    const store = new StateStore();
    const backend = new MemoryBackend(store);
    await backend.submit((tx) => registerTx(tx, { Node: 'n', ID: '', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, NodeMeta: {}, Checks: [], SkipNodeUpdate: false }));
    const sync = new ConfigSync(backend, 'n', undefined, silent);
    const a = sync.apply({ services: [{ service: service('a'), checks: [] }], checks: [] });
    const b = sync.apply({ services: [{ service: service('b'), checks: [] }], checks: [] });
    expect([(await a).services.added, (await b).services]).to.deep.equal([['a'], { added: ['b'], changed: [], removed: ['a'] }]);
  });
});
