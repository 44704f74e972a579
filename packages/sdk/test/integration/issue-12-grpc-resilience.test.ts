import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import winston from 'winston';
import { AxiosClient, startTestAgent, within, type TestAgent } from '../../src/index.js';
import { praetorBreakerInterceptor, praetorServiceConfig, registerPraetorResolver } from '../../src/grpc/index.js';

const log = winston.createLogger({ silent: true });

// A JSON-over-gRPC service answering with the server's name, or failing as told.
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
type Who = grpc.Client & { Who(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { name: string }) => void): void };

/** A server that fails the calls `fails(n)` picks (n counts from 1) with `code`. */
interface Server {
  name: string;
  port: number;
  calls: number;
  server: grpc.Server;
}

async function startServer(name: string, fails: (n: number) => boolean, code: grpc.status): Promise<Server> {
  const s: Server = { name, port: 0, calls: 0, server: new grpc.Server() };
  s.server.addService(WHO, {
    Who: (_call: unknown, cb: grpc.sendUnaryData<{ name: string }>) => {
      s.calls++;
      if (fails(s.calls)) cb({ code, details: `${name} failed call ${s.calls}` });
      else cb(null, { name });
    },
  });
  s.port = await new Promise<number>((resolve, reject) =>
    s.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
  return s;
}

function call(client: Who): Promise<string> {
  return new Promise((resolve) => client.Who({}, { deadline: Date.now() + 3000 }, (err, res) => resolve(err ? `failed: ${err.details}` : res!.name)));
}

async function calls(client: Who, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await call(client));
  return out;
}

/** Issue 12, item 4: gRPC through praetor:/// retries, ejects outliers and breaks circuits. */
describe('issue 12: gRPC retries, outlier ejection and a breaker over servers that fail', function () {
  this.timeout(60000);
  let agent: TestAgent;
  let registry: AxiosClient;
  const servers: Server[] = [];
  const clients: grpc.Client[] = [];

  const serve = async (service: string, name: string, fails: (n: number) => boolean, code = grpc.status.UNAVAILABLE) => {
    const s = await startServer(name, fails, code);
    servers.push(s);
    await registry.register({ Name: service, ID: name, Address: '127.0.0.1', Port: s.port });
    return s;
  };
  const dial = (target: string, options: grpc.ClientOptions = {}) => {
    const c = new WhoClient(target, grpc.credentials.createInsecure(), options) as unknown as Who;
    clients.push(c);
    return c;
  };
  const resolver = (serviceConfig?: grpc.ServiceConfig) =>
    registerPraetorResolver(grpc, { client: registry, logger: log, waitMs: 5000, backoff: { initialMs: 20, maxMs: 200 }, serviceConfig });

  before(async () => {
    agent = await startTestAgent();
    registry = new AxiosClient({ addresses: [agent.url] });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) s.server.forceShutdown();
  });
  after(() => agent?.stop());

  it('the default service config retries UNAVAILABLE: a server failing every other call costs no call', async () => {
    await serve('flaky', 'flaky-1', (n) => n % 2 === 1);
    await serve('flaky', 'steady-1', () => false);
    resolver();
    const out = await calls(dial('praetor:///flaky'), 30);
    expect(out.filter((o) => o.startsWith('failed'))).to.deep.equal([]);
    // Without the retry policy (the channel's own config: plain round robin), the same servers fail calls.
    const plain = await calls(dial('praetor:///flaky', { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) }), 30);
    expect(plain.filter((o) => o.startsWith('failed')).length).to.be.greaterThan(0);
  });

  it('outlier ejection skips an instance that keeps failing, without touching the registry', async () => {
    const broken = await serve('ejectable', 'broken-1', () => true, grpc.status.INTERNAL);
    await serve('ejectable', 'steady-2', () => false);
    resolver(praetorServiceConfig({ retry: false, outlierEjection: { intervalMs: 200, requestVolume: 4, baseEjectionTimeMs: 60_000 } }));
    const client = dial('praetor:///ejectable');
    await within(20000, async () => (await calls(client, 10)).every((o) => o === 'steady-2'), 'ten calls in a row answered by the steady server');
    const before = broken.calls;
    expect(await calls(client, 10)).to.deep.equal(Array(10).fill('steady-2'));
    expect(broken.calls, 'the ejected instance gets no calls').to.equal(before);
    const inRegistry = (await registry.healthService('ejectable', { passing: true })).value.map((e) => e.Service.ID).sort();
    expect(inRegistry).to.deep.equal(['broken-1', 'steady-2']);
  });

  it('the breaker interceptor fails calls fast once the target keeps failing, without reaching a server', async () => {
    const down = await serve('down', 'down-1', () => true);
    resolver(praetorServiceConfig({ retry: false, outlierEjection: false }));
    const breaker = praetorBreakerInterceptor(grpc, { volumeThreshold: 3, resetTimeout: 60_000, name: 'praetor:///down' });
    try {
      const out = await calls(dial('praetor:///down', { interceptors: [breaker] }), 10);
      expect(breaker.breaker.opened).to.equal(true);
      expect(down.calls).to.be.lessThan(10);
      expect(out.at(-1)).to.match(/^failed: praetor: circuit open for praetor:\/\/\/down/);
    } finally {
      breaker.breaker.shutdown();
    }
  });
});
