import { expect } from 'chai';
import Consul from 'consul';
import { http, startAgent, type AgentProcess } from './harness.js';

/** Issue 13 §2: session IDs are parsed as Consul's store parses UUIDs (Consul 1.8.7's answers). */
describe('session IDs: checked in Consul\'s order, with its messages; otherwise looked up by their bytes', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let consul: Consul;

  before(async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    consul = new Consul({ host: agent.host, port: agent.port });
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  /** What a call answered: [status, body]. */
  async function outcome(call: Promise<unknown>): Promise<[number, unknown]> {
    try {
      return [200, await call];
    } catch (err) {
      const e = err as { response?: { statusCode: number }; message: string };
      return [e.response?.statusCode ?? -1, e.message];
    }
  }

  it('refuses, in this order: length ≠ 36, more than 4 "-", odd length without hyphens, non-hex (500, on info, renew and destroy)', async () => {
    const cases: Array<[string, string]> = [
      ['short', 'UUID must be 36 characters'],
      ['1-1-1-1-1-1111111111111111111111111111', 'UUID must be 36 characters'],
      ['11111111-1111-1111-1111-11111111111-', 'UUID should have maximum of 4 "-"; got 5'],
      [`${'1'.repeat(35)}-`, 'Input (without hyphens) must be even length'],
      ['gggggggg-1111-1111-1111-111111111111', "Invalid UUID: encoding/hex: invalid byte: U+0067 'g'"],
    ];
    // Plain HTTP: the npm client shows a body of 80 characters or more as "internal server error".
    for (const [id, why] of cases) {
      for (const [method, path] of [['GET', 'info'], ['PUT', 'renew'], ['PUT', 'destroy']] as const) {
        const res = await http(`${agent.url}/v1/session/${path}/${id}`, { method });
        expect([res.status, res.text], `${path} ${id}`).to.deep.equal([500, `failed session lookup: index error: ${why}`]);
      }
    }
  });

  it('36 ones (or hyphens in odd places) is a valid key that finds nothing: info [], renew 404, destroy true', async () => {
    for (const id of ['1'.repeat(36), '1111111-11111-1111-1111-111111111111']) {
      expect(await outcome(consul.session.info(id)), id).to.deep.equal([200, undefined]);
      expect(await outcome(consul.session.renew(id)), id).to.deep.equal([404, `Session id '${id}' not found`]);
      expect(await outcome(consul.session.destroy(id)), id).to.deep.equal([200, undefined]);
    }
  });

  it('an uppercase ID finds its session', async () => {
    const { ID } = (await consul.session.create()) as { ID: string };
    const upper = ID.toUpperCase();
    expect(((await consul.session.info(upper)) as { ID: string }).ID).to.equal(ID);
    expect(((await consul.session.renew(upper)) as Array<{ ID: string }>)[0]!.ID).to.equal(ID);
    await consul.session.destroy(upper);
    expect(await consul.session.info(ID)).to.equal(undefined);
  });
});
