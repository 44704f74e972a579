import { expect } from 'chai';
import { http, startAgent, type AgentProcess } from './harness.js';

interface EventJson {
  ID: string;
  Name: string;
  Payload: string | null;
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  LTime: number;
}

/** User events against a real agent: fire, list, filters, blocking lists, bad input. */
describe('user events', function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;
  const node = `events-${process.pid}`;
  before(async () => {
    agent = await startAgent(['-dev', `-node=${node}`]);
    url = agent.url;
  });
  after(() => agent.stop());

  const fire = (name: string, query = '', body?: string | Buffer) => http(`${url}/v1/event/fire/${name}${query}`, { method: 'PUT', body });
  const list = async (query = '') => {
    const res = await http(`${url}/v1/event/list${query}`);
    return { status: res.status, index: res.headers.get('x-consul-index'), events: res.json() as EventJson[], headers: res.headers };
  };
  /** Consul's index of an event list: the two halves of the newest event's UUID, XORed. */
  const indexOf = (id: string) => {
    const hex = id.replace(/-/g, '');
    return (BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16)}`)).toString();
  };

  it('fires an event and answers it as Consul does', async () => {
    const res = await fire('deploy', '?node=.&service=web&tag=v1', 'hello');
    expect(res.status).to.equal(200);
    const e = res.json() as EventJson;
    expect(e.ID).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect({ ...e, ID: '' }).to.deep.equal({ ID: '', Name: 'deploy', Payload: 'aGVsbG8=', NodeFilter: '.', ServiceFilter: 'web', TagFilter: 'v1', Version: 1, LTime: 0 });
    const empty = (await fire('no-payload')).json() as EventJson;
    expect(empty.Payload).to.equal(null);
  });

  it('lists the events delivered here, oldest first, with the index derived from the newest ID', async () => {
    const a = (await fire('list-a', '', 'one')).json() as EventJson;
    const b = (await fire('list-b')).json() as EventJson;
    const all = await list();
    expect(all.status).to.equal(200);
    const mine = all.events.filter((e) => e.Name.startsWith('list-'));
    expect(mine.map((e) => [e.ID, e.Name, e.Payload])).to.deep.equal([
      [a.ID, 'list-a', 'b25l'],
      [b.ID, 'list-b', null],
    ]);
    expect(mine[1].LTime).to.be.greaterThan(mine[0].LTime);
    expect(all.index).to.equal(indexOf(b.ID));
    // Like Consul's, the list carries X-Consul-Index only.
    expect(all.headers.get('x-consul-knownleader')).to.equal(null);
  });

  it('filters the list by ?name; an empty list has index 1', async () => {
    const first = (await fire('by-name', '', '1')).json() as EventJson;
    await fire('other-name');
    const second = (await fire('by-name', '', '2')).json() as EventJson;
    const named = await list('?name=by-name');
    expect(named.events.map((e) => e.ID)).to.deep.equal([first.ID, second.ID]);
    expect(named.index).to.equal(indexOf(second.ID));
    const none = await list('?name=never-fired');
    expect([none.status, none.index, none.events]).to.deep.equal([200, '1', []]);
  });

  it('delivers an event only when its node, service and tag filters match this agent', async () => {
    await http(`${url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'evweb', Tags: ['blue'], Port: 80 }) });
    const cases: Array<[string, string, boolean]> = [
      ['f-node-yes', `?node=^${node}$`, true],
      ['f-node-no', '?node=^not-this-node$', false],
      ['f-svc-yes', '?service=^evweb$', true],
      ['f-svc-no', '?service=^nothere$', false],
      ['f-tag-yes', '?service=evweb&tag=blu', true],
      ['f-tag-no', '?service=evweb&tag=green', false],
      // The registry's own "consul" service is not one of the agent's services, as in Consul.
      ['f-self-service', '?service=^consul$', false],
    ];
    for (const [name, query] of cases) expect((await fire(name, query)).status, name).to.equal(200);
    const delivered = (await list()).events.map((e) => e.Name).filter((n) => n.startsWith('f-'));
    expect(delivered).to.deep.equal(cases.filter(([, , yes]) => yes).map(([n]) => n));
  });

  it('a blocking list is woken by a new event, not by a KV write or a filtered-out event', async () => {
    const first = await list('?name=wake');
    expect(first.index).to.equal('1');
    let answered = false;
    const pending = http(`${url}/v1/event/list?name=wake&index=${first.index}&wait=20s`).then((r) => ((answered = true), r));
    await http(`${url}/v1/kv/events/unrelated`, { method: 'PUT', body: 'x' });
    await fire('wake', '?node=^not-this-node$');
    await fire('not-wake');
    await new Promise((r) => setTimeout(r, 300));
    expect(answered, 'answered before a matching event').to.equal(false);
    const e = (await fire('wake', '', 'now')).json() as EventJson;
    const res = await pending;
    expect(res.headers.get('x-consul-index')).to.equal(indexOf(e.ID));
    expect((res.json() as EventJson[]).map((x) => x.ID)).to.deep.equal([e.ID]);
  });

  it('a blocking list with an index that is not the current one answers at once, even above 2^53', async () => {
    const e = (await fire('exact')).json() as EventJson;
    const idx = indexOf(e.ID);
    // The current index with its lowest bit flipped: as doubles, the two are usually the same number.
    const near = (BigInt(idx) ^ 1n).toString();
    const res = await http(`${url}/v1/event/list?name=exact&index=${near}&wait=20s`);
    expect(res.headers.get('x-consul-index')).to.equal(idx);
    const waited = await http(`${url}/v1/event/list?name=exact&index=${idx}&wait=200ms`);
    expect([waited.status, waited.headers.get('x-consul-index')]).to.deep.equal([200, idx]);
  });

  it('refuses bad input with Consul statuses and texts', async () => {
    const cases: Array<[string, string, string | undefined, number, string | RegExp]> = [
      ['PUT', '/v1/event/fire/', undefined, 400, 'Missing name'],
      ['PUT', '/v1/event/fire/x?tag=v1', undefined, 500, 'Cannot provide tag filter without service filter'],
      ['PUT', '/v1/event/fire/x?node=%5B', undefined, 500, /^Invalid node filter: error parsing regexp: .*`\[`$/],
      ['PUT', '/v1/event/fire/x?service=%28', undefined, 500, /^Invalid service filter: /],
      ['PUT', '/v1/event/fire/x', 'a'.repeat(600), 500, /user event exceeds configured limit of 512 bytes/],
      ['PUT', '/v1/event/fire/x?dc=elsewhere', undefined, 500, 'No path to datacenter'],
      ['GET', '/v1/event/fire/x', undefined, 405, 'method GET not allowed'],
      ['PUT', '/v1/event/list', undefined, 405, 'method PUT not allowed'],
      ['GET', '/v1/event/list?index=abc', undefined, 400, 'Invalid index'],
      ['GET', '/v1/event/list?index=1&wait=abc', undefined, 400, 'Invalid wait time'],
    ];
    for (const [method, path, body, status, text] of cases) {
      const res = await http(`${url}${path}`, { method, body });
      expect(res.status, `${method} ${path}`).to.equal(status);
      if (typeof text === 'string') expect(res.text, path).to.equal(text);
      else expect(res.text, path).to.match(text);
    }
    // Nothing refused was listed, and the agent still answers.
    const names = (await list()).events.map((e) => e.Name);
    expect(names).to.not.include('x');
  });
});
