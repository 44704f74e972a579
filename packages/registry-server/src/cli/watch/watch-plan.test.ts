import { expect } from 'chai';
import { WatchPlan } from './watch-plan.js';
import type { WatchResult } from './watch-types.js';

type Step = WatchResult | Error;

/**
 * The plan against a scripted sequence of answers: the loop cases a real agent cannot be made
 * to produce on demand (an index of 0, one that goes back, failures in a row). Records the
 * index each read asked with, each handler call and each error's backoff.
 */
async function run(steps: Step[], opts: { monotonic?: boolean; stopAfterCalls?: number } = {}) {
  const asked: bigint[] = [];
  const calls: Array<[bigint, unknown]> = [];
  const retries: number[] = [];
  let plan: WatchPlan;
  const fetch = async (last: bigint): Promise<WatchResult> => {
    asked.push(last);
    const step = steps.shift();
    if (!step) {
      plan.stop();
      throw new Error('script ended');
    }
    if (step instanceof Error) throw step;
    return step;
  };
  plan = new WatchPlan({
    fetch,
    monotonic: opts.monotonic ?? true,
    handler: async (index, value) => {
      calls.push([index, value]);
      return calls.length !== opts.stopAfterCalls;
    },
    onError: (_err, ms) => retries.push(ms),
    retryBaseMs: 1,
    retryMaxMs: 20,
  });
  await plan.run();
  return { asked, calls, retries };
}

describe('WatchPlan', () => {
  it('hands over the first result and each change of the data, never a repeat', async () => {
    const { asked, calls } = await run([
      { index: 5n, value: { a: 1 } },
      { index: 5n, value: { a: 1 } }, // the wait ran out: same index
      { index: 7n, value: { a: 1 } }, // another write moved the index, not the data
      { index: 9n, value: { a: 2 } },
    ]);
    expect(calls).to.deep.equal([
      [5n, { a: 1 }],
      [9n, { a: 2 }],
    ]);
    expect(asked).to.deep.equal([0n, 5n, 5n, 7n, 9n]);
  });

  it('starts over from 0 when the index goes back (a restore, a new agent), and treats 0 as 1', async () => {
    const { asked, calls } = await run([
      { index: 10n, value: 'x' },
      { index: 3n, value: 'y' },
      { index: 0n, value: 'z' },
    ]);
    expect(asked).to.deep.equal([0n, 10n, 0n, 1n]);
    expect(calls.map((c) => c[1])).to.deep.equal(['x', 'y', 'z']);
  });

  it('keeps event hashes as they are: they go up and down', async () => {
    const { asked } = await run(
      [
        { index: 10n, value: ['a'] },
        { index: 3n, value: ['b'] },
      ],
      { monotonic: false },
    );
    expect(asked).to.deep.equal([0n, 10n, 3n]);
  });

  it('backs off 5s × failures² (scaled here), capped, and starts over after a success', async () => {
    const { retries, calls } = await run([new Error('a'), new Error('b'), new Error('c'), new Error('d'), new Error('e'), { index: 2n, value: 1 }, new Error('f')]);
    expect(retries).to.deep.equal([1, 4, 9, 16, 20, 1]);
    expect(calls.length).to.equal(1);
  });

  it('stops when the handler says so', async () => {
    const { asked, calls } = await run([{ index: 1n, value: 1 }, { index: 2n, value: 2 }, { index: 3n, value: 3 }], { stopAfterCalls: 2 });
    expect(calls.length).to.equal(2);
    expect(asked).to.deep.equal([0n, 1n]);
  });

  it('stop() aborts the read in flight and cuts a backoff short', async () => {
    let signal: AbortSignal | undefined;
    const plan = new WatchPlan({
      fetch: (_last, s) => {
        signal = s;
        return new Promise((_resolve, reject) => s.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      monotonic: true,
      handler: async () => true,
      onError: () => expect.fail('an abort is not an error'),
    });
    const done = plan.run();
    await new Promise((r) => setImmediate(r));
    plan.stop();
    await done;
    expect(signal?.aborted).to.equal(true);

    const backoff = new WatchPlan({ fetch: async () => Promise.reject(new Error('down')), monotonic: true, handler: async () => true, onError: () => setImmediate(() => backoff.stop()) });
    await backoff.run(); // with the default 5 s backoff: returns only because stop() woke it
    plan.stop();
  });
});
