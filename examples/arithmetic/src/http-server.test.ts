import { expect } from 'chai';
import * as http from 'node:http';
import winston from 'winston';
import { listen } from './http-server.js';
import { within } from './test-support.js';

const log = winston.createLogger({ silent: true });

function get(port: number, agent: http.Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      })
      .on('error', reject);
  });
}

describe('http server drain', () => {
  it('stops accepting, lets the open request finish, then closes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await listen(
      (_req, res) => void gate.then(() => res.end('done')),
      { host: '127.0.0.1', port: 0 },
      log,
    );
    const agent = new http.Agent({ keepAlive: true });
    try {
      const open = get(server.port, agent);
      await within(5000, () => server.inFlight() === 1);
      let drained = false;
      const draining = server.drain().then(() => (drained = true));
      expect(server.drain()).to.equal(server.drain(), 'a second drain() gets the same promise');
      // New connections are refused while the open request still runs.
      const refused = await get(server.port, new http.Agent()).then(
        () => 'answered',
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
      expect(drained).to.equal(false);
      release();
      expect((await open).status).to.equal(200);
      await draining;
      expect(server.inFlight()).to.equal(0);
    } finally {
      release();
      agent.destroy();
    }
  });

  it('closes connections still open after the timeout', async () => {
    const server = await listen(() => {}, { host: '127.0.0.1', port: 0 }, log); // never answers
    const agent = new http.Agent({ keepAlive: true });
    try {
      const open = get(server.port, agent).then(
        () => 'answered',
        (e: NodeJS.ErrnoException) => e.code,
      );
      await within(5000, () => server.inFlight() === 1);
      await server.drain(50);
      expect(await open).to.equal('ECONNRESET');
    } finally {
      agent.destroy();
    }
  });
});
