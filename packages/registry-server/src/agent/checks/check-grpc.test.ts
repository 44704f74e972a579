import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import type { CheckDefinition } from '../../structs/check.js';
import { createGrpcRunner, splitGrpcTarget } from './check-grpc.js';
import { healthService, type HealthCheckResponse } from './health-proto.js';
import { Runners, TEST_CERT, TEST_KEY, closedPort, recorder, silentLogger, within } from './test-support.js';

const STATUS: Record<string, HealthCheckResponse['status']> = { '': 'SERVING', up: 'SERVING', down: 'NOT_SERVING' };

/** A grpc.health.v1 server as grpc-health-check implements it; "slow" never answers. */
async function startHealthServer(credentials: grpc.ServerCredentials): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  server.addService(healthService().service, {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, HealthCheckResponse>, callback: grpc.sendUnaryData<HealthCheckResponse>) => {
      const { service } = call.request;
      if (service === 'slow') return;
      const status = STATUS[service];
      if (status) callback(null, { status });
      else callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, address: `127.0.0.1:${port}` };
}

describe('check-grpc', () => {
  const runners = new Runners();
  let plain: { server: grpc.Server; address: string };
  let secure: { server: grpc.Server; address: string };

  before(async () => {
    plain = await startHealthServer(grpc.ServerCredentials.createInsecure());
    secure = await startHealthServer(
      grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(TEST_KEY), cert_chain: Buffer.from(TEST_CERT) }]),
    );
  });
  afterEach(() => runners.stopAll());
  after(() => {
    plain.server.forceShutdown();
    secure.server.forceShutdown();
  });

  async function firstResult(def: CheckDefinition) {
    const rec = recorder();
    runners.add(createGrpcRunner({ Interval: '1s', ...def }, rec.report, silentLogger())).start();
    await within(10_000, () => rec.results.length > 0, 'a report');
    runners.stopAll();
    return { status: rec.results[0].status, output: rec.results[0].output };
  }

  it('SERVING for the whole server is passing', async () => {
    expect(await firstResult({ GRPC: plain.address })).to.deep.equal({
      status: 'passing',
      output: `gRPC check ${plain.address}: success`,
    });
  });

  it('SERVING for a named service is passing', async () => {
    expect(await firstResult({ GRPC: `${plain.address}/up` })).to.deep.equal({
      status: 'passing',
      output: `gRPC check ${plain.address}/up: success`,
    });
  });

  it('NOT_SERVING is critical', async () => {
    expect(await firstResult({ GRPC: `${plain.address}/down` })).to.deep.equal({
      status: 'critical',
      output: `gRPC ${plain.address}/down serving status: NOT_SERVING`,
    });
  });

  it('an RPC error is critical with the error', async () => {
    const r = await firstResult({ GRPC: `${plain.address}/nope` });
    expect(r.status).to.equal('critical');
    expect(r.output).to.equal(`gRPC ${plain.address}/nope: 5 NOT_FOUND: unknown service`);
  });

  it('a closed port is critical', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const r = await firstResult({ GRPC: address });
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^gRPC ${address}: 14 UNAVAILABLE`));
  });

  it('a server slower than the timeout is critical', async () => {
    const r = await firstResult({ GRPC: `${plain.address}/slow`, Interval: '500ms', Timeout: '150ms' });
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^gRPC ${plain.address}/slow: (timed out after 150ms|4 DEADLINE_EXCEEDED)`));
  });

  it('GRPCUseTLS with TLSSkipVerify accepts a self-signed server', async () => {
    expect(await firstResult({ GRPC: secure.address, GRPCUseTLS: true, TLSSkipVerify: true })).to.deep.equal({
      status: 'passing',
      output: `gRPC check ${secure.address}: success`,
    });
  });

  it('GRPCUseTLS verifies the server by default', async () => {
    const r = await firstResult({ GRPC: secure.address, GRPCUseTLS: true });
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^gRPC ${secure.address}: 14 UNAVAILABLE`));
  });

  it('plaintext against a TLS server is critical', async () => {
    const r = await firstResult({ GRPC: secure.address });
    expect(r.status).to.equal('critical');
  });

  it('splitGrpcTarget splits at the first slash', () => {
    expect(splitGrpcTarget('127.0.0.1:1')).to.deep.equal({ address: '127.0.0.1:1', service: '' });
    expect(splitGrpcTarget('h:1/a/b')).to.deep.equal({ address: 'h:1', service: 'a/b' });
  });
});
