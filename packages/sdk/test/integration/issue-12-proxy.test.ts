import { expect } from 'chai';
import { AxiosClient, freePort, startTestAgent, UnreachableError, type TestAgent } from '../../src/index.js';

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];

/** Issue 12, item 5: the SDK talks to the registry directly, whatever $http_proxy says. */
describe('issue 12: the client and proxy variables', function () {
  this.timeout(30000);
  let agent: TestAgent;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    agent = await startTestAgent();
    for (const v of PROXY_VARS) saved[v] = process.env[v];
    const dead = `http://127.0.0.1:${await freePort()}`;
    for (const v of PROXY_VARS) delete process.env[v];
    process.env.http_proxy = process.env.HTTP_PROXY = dead;
  });
  after(async () => {
    for (const v of PROXY_VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await agent?.stop();
  });

  it('by default ignores $http_proxy (set to a dead port): registration and discovery work', async () => {
    const client = new AxiosClient({ addresses: [agent.url] });
    await client.register({ Name: 'direct', Port: 1 });
    expect((await client.healthService('direct')).value.map((e) => e.Service.Service)).to.deep.equal(['direct']);
  });

  it("proxy: 'env' opts in, and then goes through the (dead) proxy", async () => {
    const client = new AxiosClient({ addresses: [agent.url], proxy: 'env' });
    const err = await client.healthService('direct').then(() => null, (e: Error) => e);
    expect(err).to.be.instanceOf(UnreachableError);
  });
});
