import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { Writable } from 'node:stream';
import winston from 'winston';
import { AxiosClient, ConsulRegistrar, startTestAgent, type TestAgent, within } from '../../src/index.js';
import { InvalidTargetError, praetorTarget, registerPraetorResolver } from '../../src/grpc/index.js';

/** What the SDK logged, so a test can wait for "discovery failed". */
const logged: string[] = [];
const remember = new Writable({
  objectMode: true,
  write(info: { message: string }, _enc, done) {
    logged.push(info.message);
    done();
  },
});
const log = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: remember })] });

// A tiny service without a .proto: JSON over gRPC, answering with the server's name.
const json = { serialize: (v: unknown) => Buffer.from(JSON.stringify(v)), deserialize: (b: Buffer) => JSON.parse(b.toString()) };
const WHO: grpc.ServiceDefinition = {
  Who: {
    path: '/praetor.test.Who/Who',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};
const WhoClient = grpc.makeGenericClientConstructor(WHO, 'Who');

interface WhoServer {
  name: string;
  port: number;
  server: grpc.Server;
}

async function startWho(name: string): Promise<WhoServer> {
  const server = new grpc.Server();
  server.addService(WHO, { Who: (_call: unknown, cb: grpc.sendUnaryData<{ name: string }>) => cb(null, { name }) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { name, port, server };
}

type Who = grpc.Client & { Who(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { name: string }) => void): void };

function dial(target: string): Who {
  return new WhoClient(target, grpc.credentials.createInsecure()) as unknown as Who;
}

function who(client: Who): Promise<string> {
  return new Promise((resolve, reject) =>
    client.Who({}, { deadline: Date.now() + 3000 }, (err, res) => (err ? reject(err) : resolve(res!.name))),
  );
}

/** Who answered `n` calls, in order. Rejects on the first failed call. */
async function answers(client: Who, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await who(client));
  return out;
}

function count(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

/** The praetor:/// resolver against a real `praetor agent -dev` and real grpc-js servers. */
describe('gRPC praetor resolver against a real agent', function () {
  this.timeout(60000);
  let agent: TestAgent;
  let registry: AxiosClient;
  const servers: WhoServer[] = [];
  const clients: grpc.Client[] = [];
  const registrars: ConsulRegistrar[] = [];

  const serve = async (name: string, service: string, tags: string[] = []) => {
    const s = await startWho(name);
    servers.push(s);
    const r = new ConsulRegistrar(registry, { Name: service, ID: name, Address: '127.0.0.1', Port: s.port, Tags: tags }, log, { watchdogMs: 0 });
    registrars.push(r);
    await r.register();
    return { ...s, registrar: r };
  };
  const client = (target: string) => {
    const c = dial(target);
    clients.push(c);
    return c;
  };

  before(async () => {
    agent = await startTestAgent();
    registry = new AxiosClient({ addresses: [agent.url] });
    registerPraetorResolver(grpc, { client: registry, logger: log, waitMs: 5000, backoff: { initialMs: 20, maxMs: 200 } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(registrars.splice(0).map((r) => r.deregister().catch(() => undefined)));
    for (const s of servers.splice(0)) s.server.forceShutdown();
  });
  after(() => agent?.stop());

  it('spreads calls over both registered servers, then only the one left after the other is deregistered and stopped', async () => {
    const a = await serve('who-a', 'who');
    const b = await serve('who-b', 'who');
    const c = client('praetor:///who');
    // Both subchannels become ready: a window of calls reaches both.
    await within(20000, async () => Object.keys(count(await answers(c, 10))).length === 2);
    const spread = count(await answers(c, 20));
    expect(Object.keys(spread).sort()).to.deep.equal(['who-a', 'who-b']);
    expect(spread['who-a']).to.be.at.least(5);
    expect(spread['who-b']).to.be.at.least(5);

    await b.registrar.deregister();
    await within(20000, async () => (await answers(c, 10)).every((n) => n === 'who-a'));
    b.server.forceShutdown();
    expect(count(await answers(c, 20))).to.deep.equal({ 'who-a': 20 });
    expect(a.port).to.not.equal(b.port);
  });

  it('selects by tags: every tag in the target must be on the instance', async () => {
    await serve('tag-blue', 'tagged', ['v1', 'blue']);
    await serve('tag-green', 'tagged', ['v1', 'green']);
    const table: Array<[string, Record<string, number>]> = [
      [praetorTarget('tagged', { tags: ['blue'] }), { 'tag-blue': 6 }],
      [praetorTarget('tagged', { tags: ['v1', 'green'] }), { 'tag-green': 6 }],
      ['praetor:///tagged?tag=green&tag=v1', { 'tag-green': 6 }],
    ];
    for (const [target, want] of table) {
      const c = client(target);
      const have = await within(20000, async () => count(await answers(c, 6)));
      expect(have, target).to.deep.equal(want);
    }
    // No instance has both: calls fail UNAVAILABLE, and the status says why.
    const none = client(praetorTarget('tagged', { tags: ['blue', 'green'] }));
    const err = await within(20000, () => who(none).then(() => null, (e: grpc.ServiceError) => /no passing instances/.test(e.details) && e));
    expect(err && err.code).to.equal(grpc.status.UNAVAILABLE);
  });

  it('?passing=false includes instances whose checks fail; the default does not', async () => {
    const ok = await serve('health-ok', 'health');
    const sick = await startWho('health-sick');
    servers.push(sick);
    // A TTL check nobody heartbeats stays critical.
    await registry.register({ Name: 'health', ID: 'health-sick', Address: '127.0.0.1', Port: sick.port, Check: { TTL: '1h' } });
    try {
      const passing = client('praetor:///health');
      const any = client('praetor:///health?passing=false');
      await within(20000, async () => Object.keys(count(await answers(any, 10))).length === 2);
      expect(count(await answers(passing, 10))).to.deep.equal({ 'health-ok': 10 });
      expect(ok.name).to.equal('health-ok');
    } finally {
      await registry.deregister('health-sick');
    }
  });

  it('keeps serving the last good addresses while the registry named in the target is down', async () => {
    const second = await startTestAgent();
    try {
      const s = await startWho('static-1');
      servers.push(s);
      const reg2 = new AxiosClient({ addresses: [second.url] });
      await reg2.register({ Name: 'static', ID: 'static-1', Address: '127.0.0.1', Port: s.port });
      const c = client(praetorTarget('static', { registry: `${second.host}:${second.port}` }));
      await within(20000, async () => (await answers(c, 3)).every((n) => n === 'static-1'));
      const mark = logged.length;
      await second.stop();
      await within(20000, () => logged.slice(mark).some((l) => /discovery failed/.test(l)));
      expect(count(await answers(c, 10))).to.deep.equal({ 'static-1': 10 });
    } finally {
      await second.stop();
    }
  });

  it('refuses a target it cannot read when the channel is created', () => {
    expect(() => dial('praetor:///who?tags=v1')).to.throw(InvalidTargetError, /unknown parameter "tags"/);
  });
});
