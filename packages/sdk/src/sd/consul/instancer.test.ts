import { expect } from 'chai';
import winston from 'winston';
import type { InstancerEvent } from '../event.js';
import type { KvPair, QueryResponse, ServiceEntry } from './api-types.js';
import type { DiscoveryClient, HealthQuery } from './client.js';
import { ConsulInstancer } from './instancer.js';

const log = winston.createLogger({ silent: true });

function entry(addr: string, port: number): ServiceEntry {
  return { Node: { Node: 'n', Address: addr }, Service: { ID: `s-${port}`, Service: 's', Tags: [], Address: '', Port: port, Meta: {} }, Checks: [] };
}

/**
 * A scripted client for the loop cases a real server cannot be made to produce on demand:
 * an index of 0 and an index that goes backwards. Records the index each call sent.
 */
class ScriptedClient implements DiscoveryClient {
  sent: number[] = [];
  constructor(private readonly script: Array<QueryResponse<ServiceEntry[]> | Error>) {}
  async healthService(_name: string, q: HealthQuery = {}): Promise<QueryResponse<ServiceEntry[]>> {
    this.sent.push(q.index ?? 0);
    const next = this.script.shift();
    if (!next) return new Promise((_, reject) => q.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    if (next instanceof Error) throw next;
    return next;
  }
  async kv(): Promise<QueryResponse<KvPair[] | null>> {
    throw new Error('not used');
  }
}

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(pred()).to.equal(true);
}

describe('ConsulInstancer loop', () => {
  it('sends the last index, and resets to 0 when the index goes backwards', async () => {
    const client = new ScriptedClient([
      { value: [entry('10.0.0.1', 1)], index: 10 },
      { value: [entry('10.0.0.1', 1)], index: 12 },
      { value: [entry('10.0.0.1', 1)], index: 3 },
      { value: [entry('10.0.0.2', 1)], index: 4 },
    ]);
    const inst = new ConsulInstancer(client, log, { service: 's', backoff: { initialMs: 1, maxMs: 2 } });
    await until(() => client.sent.length === 5);
    expect(client.sent).to.deep.equal([0, 10, 12, 0, 4]);
    await inst.stop();
  });

  it('does not trust an index of 0: backs off, reports the error, keeps the last good set', async () => {
    const client = new ScriptedClient([
      { value: [entry('10.0.0.1', 1)], index: 5 },
      { value: [], index: 0 },
      { value: [entry('10.0.0.1', 1), entry('10.0.0.2', 2)], index: 6 },
    ]);
    const events: InstancerEvent[] = [];
    const inst = new ConsulInstancer(client, log, { service: 's', backoff: { initialMs: 1, maxMs: 2 } });
    inst.register((e) => events.push(e));
    await until(() => events.length === 3);
    expect(events.map((e) => [e.instances.map((i) => i.key), e.error ? 'error' : 'ok'])).to.deep.equal([
      [['10.0.0.1:1'], 'ok'],
      [['10.0.0.1:1'], 'error'],
      [['10.0.0.1:1', '10.0.0.2:2'], 'ok'],
    ]);
    await until(() => client.sent.length === 4);
    expect(client.sent).to.deep.equal([0, 5, 5, 6]);
    await inst.stop();
  });

  it('reports its state: failed before any answer, stale after one, synced again, stopped', async () => {
    const client = new ScriptedClient([new Error('refused'), { value: [], index: 2 }, new Error('reset')]);
    const inst = new ConsulInstancer(client, log, { service: 's', backoff: { initialMs: 20, maxMs: 20 } });
    await until(() => inst.status().state === 'failed');
    expect(inst.status().retries).to.equal(1);
    await until(() => inst.status().state === 'stale');
    expect(inst.status().lastContactAgeMs).to.be.a('number');
    await inst.stop();
    expect(inst.status().state).to.equal('stopped');
  });
});
