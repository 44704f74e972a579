import { expect } from 'chai';
import type { QueryResponse } from '../sd/consul/api-types.js';
import { blockingLoop, InsaneIndexError, type LoopStep } from './blocking-loop.js';

type Answer = QueryResponse<string> | Error;

/** Runs the loop over scripted answers; records the index each read sent and what happened. */
async function run(script: Answer[], onValue: (v: string) => LoopStep | void = () => undefined) {
  const sent: number[] = [];
  const seen: string[] = [];
  const ctl = new AbortController();
  await blockingLoop<string>(
    {
      read: async (index) => {
        sent.push(index);
        const next = script.shift();
        if (!next) {
          ctl.abort();
          return { value: 'end', index: 1 };
        }
        if (next instanceof Error) throw next;
        return next;
      },
      onValue: (v, index) => {
        seen.push(`${v}@${index}`);
        return onValue(v);
      },
      onError: (err, failures) => {
        seen.push(`${err instanceof InsaneIndexError ? 'insane' : err.message}#${failures}`);
        return 0;
      },
      onReset: (from, to) => seen.push(`reset ${from}->${to}`),
    },
    { signal: ctl.signal, rateLimit: { perSecond: 1000, burst: 1000 } },
  );
  return { sent, seen };
}

describe('blockingLoop', () => {
  it('sends the last index; resets to 0 when it goes backwards (delivering that answer)', async () => {
    const r = await run([{ value: 'a', index: 10 }, { value: 'b', index: 12 }, { value: 'c', index: 3 }, { value: 'd', index: 4 }]);
    expect(r.sent).to.deep.equal([0, 10, 12, 0, 4]);
    expect(r.seen).to.deep.equal(['a@10', 'b@12', 'reset 12->3', 'c@3', 'd@4']);
  });

  it('does not trust an index of 0 (no X-Consul-Index): a failure, then the last good index again', async () => {
    const r = await run([{ value: 'a', index: 0 }, { value: 'b', index: 5 }, { value: 'c', index: 0 }, { value: 'd', index: 0 }, { value: 'e', index: 6 }]);
    expect(r.sent).to.deep.equal([0, 0, 5, 5, 5, 6]);
    expect(r.seen).to.deep.equal(['insane#1', 'b@5', 'insane#1', 'insane#2', 'e@6']);
  });

  it('counts failures until a success, and ends when onError throws', async () => {
    const ctl = new AbortController();
    const failures: number[] = [];
    const boom = new Error('fatal');
    const ended = blockingLoop<string>(
      {
        read: async () => {
          throw new Error('refused');
        },
        onValue: () => undefined,
        onError: (_err, n) => {
          failures.push(n);
          if (n === 3) throw boom;
          return 0;
        },
      },
      { signal: ctl.signal },
    );
    expect(await ended.then(() => null, (e) => e)).to.equal(boom);
    expect(failures).to.deep.equal([1, 2, 3]);
  });

  it("'restart' reads from 0 next, 'stop' ends the loop", async () => {
    const r = await run([{ value: 'again', index: 7 }, { value: 'x', index: 8 }, { value: 'stop', index: 9 }, { value: 'never', index: 10 }], (v) =>
      v === 'again' ? 'restart' : v === 'stop' ? 'stop' : undefined,
    );
    expect(r.sent).to.deep.equal([0, 0, 8]);
    expect(r.seen).to.deep.equal(['again@7', 'x@8', 'stop@9']);
  });

  it('pauses by the backoff after a failure (the delay it was asked to use)', async () => {
    const ctl = new AbortController();
    const delays: number[] = [];
    let reads = 0;
    await blockingLoop<string>(
      {
        read: async () => {
          if (++reads === 4) ctl.abort();
          return { value: 'x', index: 0 };
        },
        onValue: () => undefined,
        onError: (_e, _n, delayMs) => void delays.push(delayMs),
      },
      { signal: ctl.signal, backoff: { initialMs: 5, maxMs: 20, random: () => 1 } },
    );
    expect(delays).to.deep.equal([5, 10, 20]);
  });
});
