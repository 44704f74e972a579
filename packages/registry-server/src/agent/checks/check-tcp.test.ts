import { expect } from 'chai';
import * as net from 'node:net';
import type { CheckDefinition } from '../../structs/check.js';
import { createTcpRunner, splitHostPort } from './check-tcp.js';
import { Runners, closedPort, recorder, silentLogger, within } from './test-support.js';

describe('check-tcp', () => {
  const runners = new Runners();
  let listener: net.Server;
  let port: number;
  let accepted = 0;

  before(async () => {
    listener = net.createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });
  afterEach(() => runners.stopAll());
  after(async () => {
    await new Promise((resolve) => listener.close(resolve));
  });

  async function firstResult(def: CheckDefinition) {
    const rec = recorder();
    runners.add(createTcpRunner({ Interval: '500ms', ...def }, rec.report, silentLogger())).start();
    await within(10_000, () => rec.results.length > 0, 'a report');
    runners.stopAll();
    return { status: rec.results[0].status, output: rec.results[0].output };
  }

  it('a listening port is passing', async () => {
    expect(await firstResult({ TCP: `127.0.0.1:${port}` })).to.deep.equal({
      status: 'passing',
      output: `TCP connect 127.0.0.1:${port}: Success`,
    });
    await within(5000, () => accepted > 0, 'the listener to see the connection');
  });

  it('a closed port is critical with the error', async () => {
    const closed = await closedPort();
    const r = await firstResult({ TCP: `127.0.0.1:${closed}` });
    expect(r.status).to.equal('critical');
    expect(r.output).to.equal(`TCP connect 127.0.0.1:${closed}: connect ECONNREFUSED 127.0.0.1:${closed}`);
  });

  it('a malformed address is critical', async () => {
    expect(await firstResult({ TCP: 'nowhere' })).to.deep.equal({
      status: 'critical',
      output: 'TCP connect nowhere: address nowhere: expected host:port',
    });
  });

  it('splitHostPort reads host:port and [v6]:port', () => {
    expect(splitHostPort('10.0.0.1:80')).to.deep.equal({ host: '10.0.0.1', port: 80 });
    expect(splitHostPort('[::1]:8080')).to.deep.equal({ host: '::1', port: 8080 });
    expect(splitHostPort('db.local:5432')).to.deep.equal({ host: 'db.local', port: 5432 });
    expect(() => splitHostPort('::1:80')).to.throw(/host:port/);
    expect(() => splitHostPort('host:99999')).to.throw(/host:port/);
  });
});
