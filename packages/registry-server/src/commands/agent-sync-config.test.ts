import { expect } from 'chai';
import { MemoryBackend } from '../backend/memory-backend.js';
import { StateStore } from '../state/state-store.js';
import { agentRegisterCheckTx, agentRegisterServiceTx } from './agent-register.js';
import { definedIds, syncConfigTx, type ConfigDefinitions, type DefinedIds } from './agent-sync-config.js';
import { registerTx, type CheckInput, type ServiceInput } from './register.js';
import { registerRequest } from './test-support.js';

const NODE = 'n1';
const service = (ID: string, Port = 80): ServiceInput => ({ ID, Service: ID, Tags: [], Address: '', Meta: {}, Port, Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false });
const ttl = (CheckID: string, ServiceID = '', extra: Partial<CheckInput> = {}): CheckInput => ({
  CheckID,
  Name: CheckID,
  Status: 'critical',
  Notes: '',
  Output: '',
  ServiceID,
  Type: 'ttl',
  Definition: { TTL: '30s' },
  ...extra,
});

describe('syncConfigTx', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  let previous: DefinedIds;
  const sync = async (desired: ConfigDefinitions, meta?: Record<string, string>) => {
    const summary = await backend.submit((tx) => syncConfigTx(tx, NODE, desired, previous, meta));
    previous = definedIds(desired);
    return summary;
  };
  const ids = () => store.catalog.nodeServices(NODE).map((s) => s.ID);
  const status = (id: string) => store.catalog.getCheck(NODE, id)?.Status;
  beforeEach(async () => {
    store = new StateStore();
    backend = new MemoryBackend(store);
    previous = { services: [], checks: [] };
    await backend.submit((tx) => registerTx(tx, registerRequest(NODE)));
  });

  it('adds, changes and removes file-defined services, reporting each; a repeat changes nothing', async () => {
    const first = await sync({ services: [{ service: service('web'), checks: [ttl('service:web', 'web')] }, { service: service('db'), checks: [] }], checks: [ttl('node-ttl')] });
    expect(first).to.deep.equal({ services: { added: ['web', 'db'], changed: [], removed: [] }, checks: { added: ['node-ttl'], changed: [], removed: [] } });
    const rev = store.revision;
    const again = await sync({ services: [{ service: service('web'), checks: [ttl('service:web', 'web')] }, { service: service('db'), checks: [] }], checks: [ttl('node-ttl')] });
    expect(again).to.deep.equal({ services: { added: [], changed: [], removed: [] }, checks: { added: [], changed: [], removed: [] } });
    expect(store.revision, 'a sync that changes nothing bumps nothing').to.equal(rev);
    const next = await sync({ services: [{ service: service('web', 81), checks: [] }, { service: service('api'), checks: [] }], checks: [] });
    expect(next).to.deep.equal({ services: { added: ['api'], changed: ['web'], removed: ['db'] }, checks: { added: [], changed: [], removed: ['node-ttl'] } });
    expect(ids()).to.deep.equal(['api', 'web']);
    expect(status('service:web'), 'a check dropped from the definition goes').to.equal(undefined);
  });

  it('leaves what was registered over HTTP alone, including an HTTP check on a file-defined service', async () => {
    await sync({ services: [{ service: service('web'), checks: [] }], checks: [] });
    await backend.submit((tx) => agentRegisterServiceTx(tx, NODE, service('from-http'), [ttl('service:from-http', 'from-http')], false));
    await backend.submit((tx) => agentRegisterCheckTx(tx, NODE, ttl('extra', 'web')));
    await sync({ services: [{ service: service('web', 81), checks: [] }], checks: [] });
    expect(ids()).to.deep.equal(['from-http', 'web']);
    expect([status('service:from-http'), status('extra')]).to.deep.equal(['critical', 'critical']);
    await sync({ services: [], checks: [] });
    expect(ids()).to.deep.equal(['from-http']);
    expect(status('extra'), 'a check of a removed service goes with it').to.equal(undefined);
  });

  it('keeps the status of a check whose definition is unchanged, even when the file sets a status', async () => {
    const def = () => ({ services: [{ service: service('web'), checks: [ttl('service:web', 'web', { explicitStatus: true })] }], checks: [] });
    await sync(def());
    await backend.submit((tx) => tx.putCheck({ ...store.catalog.getCheck(NODE, 'service:web')!, Status: 'passing' }));
    await sync(def());
    expect(status('service:web')).to.equal('passing');
    // Changing the definition applies the file's status again.
    await sync({ services: [{ service: service('web'), checks: [ttl('service:web', 'web', { explicitStatus: true, Definition: { TTL: '60s' } })] }], checks: [] });
    expect(status('service:web')).to.equal('critical');
  });

  it('refuses as a whole: a check for a missing service writes nothing', async () => {
    await sync({ services: [{ service: service('web'), checks: [] }], checks: [] });
    const rev = store.revision;
    let failed = false;
    try {
      await sync({ services: [{ service: service('api'), checks: [] }], checks: [ttl('orphan', 'nope')] });
    } catch {
      failed = true;
    }
    expect([failed, store.revision, ids()]).to.deep.equal([true, rev, ['web']]);
  });

  it('replaces the node metadata when given', async () => {
    await sync({ services: [], checks: [] }, { rack: 'r2' });
    expect(store.catalog.nodes.get(NODE)!.Meta).to.deep.equal({ rack: 'r2', 'consul-network-segment': '' });
  });
});
