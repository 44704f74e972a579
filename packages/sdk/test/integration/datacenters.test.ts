import { expect } from 'chai';
import winston from 'winston';
import { AxiosClient, ConsulInstancer, startTestAgent, within, type InstancerEvent, type TestAgent } from '../../src/index.js';

const log = winston.createLogger({ silent: true });

/** The SDK's `datacenter` / `dc` options through a server of dc1 joined to dc2 (-retry-join-wan). */
describe('@praetor/sdk with ?dc, through a server of another datacenter (real agents)', function () {
  this.timeout(60000);
  let dc1: TestAgent;
  let dc2: TestAgent;
  before(async () => {
    dc2 = await startTestAgent({ args: ['-datacenter=dc2', '-node=sdk-s2', '-dns-port=0'] });
    dc1 = await startTestAgent({ args: ['-datacenter=dc1', '-node=sdk-s1', '-dns-port=0', `-retry-join-wan=127.0.0.1:${dc2.port}`] });
    await within(20000, async () => (await (await fetch(`${dc1.url}/v1/catalog/datacenters`)).json()).length === 2);
  });
  after(async () => {
    await dc1?.stop();
    await dc2?.stop();
  });

  it('a client with datacenter dc2 sent to dc1 reads dc2, not dc1; an Instancer with dc: dc2 follows dc2 services', async () => {
    const toDc2 = new AxiosClient({ addresses: [dc1.url], datacenter: 'dc2' });
    const direct = new AxiosClient({ addresses: [dc2.url] });
    const events: InstancerEvent[] = [];
    const inst = new ConsulInstancer(new AxiosClient({ addresses: [dc1.url] }), log, { service: 'far', dc: 'dc2', waitMs: 30000 });
    inst.register((e) => events.push(e));
    try {
      await within(10000, () => inst.status().state === 'synced');
      await direct.register({ Name: 'far', ID: 'far-1', Address: '127.0.0.9', Port: 9009 });
      await within(10000, () => events[events.length - 1]?.instances.length === 1);
      expect(events[events.length - 1]!.instances.map((i) => i.key)).to.deep.equal(['127.0.0.9:9009']);
      const entries = await toDc2.healthService('far');
      expect(entries.value.map((e) => [e.Service.ID, e.Node.Datacenter])).to.deep.equal([['far-1', 'dc2']]);
      expect((await new AxiosClient({ addresses: [dc1.url] }).healthService('far')).value).to.deep.equal([]);
    } finally {
      await inst.stop();
    }
  });
});
