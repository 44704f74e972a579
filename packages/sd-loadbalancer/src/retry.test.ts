import { FixedEndpointer, instance, type Endpoint } from '@praetor/sdk';
import { expect } from 'chai';
import { FixedBalancer, NoEndpointsError } from './balancer.js';
import { retry, RetryError, type RetryCallback } from './retry.js';
import { RoundRobin } from './round-robin.js';

/** An endpoint that fails its first `failures` calls, then answers; it counts its calls. */
function flaky(failures: number) {
  const state = { calls: 0 };
  const endpoint: Endpoint<string, string> = async (request) => {
    state.calls++;
    if (state.calls <= failures) throw new Error(`failure ${state.calls}`);
    return `ok ${request}`;
  };
  return { endpoint, state };
}

/** An endpoint that never answers; it records the signals it was given. */
function hanging(signals: (AbortSignal | undefined)[]): Endpoint<string, string> {
  return (_request, signal) => {
    signals.push(signal);
    return new Promise(() => {});
  };
}

async function rejection(p: Promise<unknown>): Promise<RetryError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(RetryError);
    return e as RetryError;
  }
  throw new Error('expected a rejection');
}

describe('retry', () => {
  it('succeeds after failures', async () => {
    const f = flaky(2);
    const call = retry(new FixedBalancer(f.endpoint), { max: 5, timeoutMs: 5000 });
    expect(await call('x')).to.equal('ok x');
    expect(f.state.calls).to.equal(3);
  });

  it('asks the balancer for an endpoint on each attempt', async () => {
    const tried: string[] = [];
    const make = (name: string, ok: boolean): Endpoint<string, string> => async () => {
      tried.push(name);
      if (!ok) throw new Error(`${name} down`);
      return name;
    };
    const endpoints = [make('a', false), make('b', false), make('c', true)];
    const lb = new RoundRobin(new FixedEndpointer(endpoints.map((endpoint, i) => ({ instance: instance(`10.0.0.${i}:80`), endpoint }))), { rng: () => 0 });
    expect(await retry(lb, { max: 3, timeoutMs: 5000 })('x')).to.equal('c');
    expect(tried).to.deep.equal(['a', 'b', 'c']);
  });

  it('stops at max and reports every error', async () => {
    const f = flaky(Infinity);
    const err = await rejection(retry(new FixedBalancer(f.endpoint), { max: 3, timeoutMs: 5000 })('x'));
    expect(f.state.calls).to.equal(3);
    expect(err.rawErrors.map((e) => e.message)).to.deep.equal(['failure 1', 'failure 2', 'failure 3']);
    expect(err.final).to.equal(err.rawErrors[2]);
    expect(err.cause).to.equal(err.final);
    expect(err.code).to.equal('PRAETOR_ERR_RETRY_FAILED');
    expect(err.message).to.equal('retry gave up after 3 failed attempts: failure 3 [attempt errors: 1: failure 1; 2: failure 2; 3: failure 3]');
  });

  it('stops at the deadline, aborting the attempt in flight', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const err = await rejection(retry(new FixedBalancer(hanging(signals)), { max: 10, timeoutMs: 20 })('x'));
    expect(signals).to.have.length(1);
    expect(signals[0]?.aborted).to.equal(true);
    expect(err.rawErrors).to.deep.equal([]);
    expect(err.final.name).to.equal('TimeoutError');
    expect(err.message).to.equal('retry gave up after 0 failed attempts: retry deadline of 20ms exceeded');
  });

  it('lets the callback stop early and replace the error', async () => {
    const f = flaky(Infinity);
    const seen: [number, string][] = [];
    const callback: RetryCallback = (attempt, error) => {
      seen.push([attempt, error.message]);
      return attempt < 2 ? { keepTrying: true } : { keepTrying: false, replacement: new Error('service unavailable') };
    };
    const err = await rejection(retry(new FixedBalancer(f.endpoint), { max: 5, timeoutMs: 5000, callback })('x'));
    expect(seen).to.deep.equal([
      [1, 'failure 1'],
      [2, 'failure 2'],
    ]);
    expect(err.rawErrors.map((e) => e.message)).to.deep.equal(['failure 1', 'failure 2']);
    expect(err.final.message).to.equal('service unavailable');
  });

  it("uses the last attempt's replacement as the final error at max", async () => {
    const callback: RetryCallback = (attempt) => ({ keepTrying: true, replacement: new Error(`replaced ${attempt}`) });
    const err = await rejection(retry(new FixedBalancer(flaky(Infinity).endpoint), { max: 2, timeoutMs: 5000, callback })('x'));
    expect(err.final.message).to.equal('replaced 2');
    expect(err.rawErrors.map((e) => e.message)).to.deep.equal(['failure 1', 'failure 2']);
  });

  it("stops when the caller's signal aborts", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const caller = new AbortController();
    const reason = new Error('caller went away');
    const call = retry(new FixedBalancer(hanging(signals)), { max: 3, timeoutMs: 5000 })('x', caller.signal);
    setImmediate(() => caller.abort(reason));
    const err = await rejection(call);
    expect(err.final).to.equal(reason);
    expect(signals[0]?.aborted).to.equal(true);
  });

  it('makes no attempt when the caller has already aborted', async () => {
    const f = flaky(0);
    const err = await rejection(retry(new FixedBalancer(f.endpoint), { max: 3, timeoutMs: 5000 })('x', AbortSignal.abort()));
    expect(f.state.calls).to.equal(0);
    expect(err.final.name).to.equal('AbortError');
  });

  it('counts NoEndpointsError as a failed attempt', async () => {
    const lb = new RoundRobin(new FixedEndpointer<Endpoint<string, string>>([]));
    const err = await rejection(retry(lb, { max: 3, timeoutMs: 5000 })('x'));
    expect(err.rawErrors).to.have.length(3);
    expect(err.final).to.be.instanceOf(NoEndpointsError);
  });

  it('clears its deadline timer and its listener when the call ends', async () => {
    const created: unknown[] = [];
    const cleared: unknown[] = [];
    const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
    globalThis.setTimeout = ((...args: Parameters<typeof realSet>) => {
      const t = realSet(...args);
      created.push(t);
      return t;
    }) as typeof realSet;
    globalThis.clearTimeout = ((t: Parameters<typeof realClear>[0]) => {
      cleared.push(t);
      realClear(t);
    }) as typeof realClear;
    const caller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = caller.signal.addEventListener.bind(caller.signal);
    const remove = caller.signal.removeEventListener.bind(caller.signal);
    caller.signal.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
    caller.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (removed++, remove(...a))) as typeof remove;
    try {
      const call = retry(new FixedBalancer(flaky(1).endpoint), { max: 3, timeoutMs: 60_000 });
      expect(await call('x', caller.signal)).to.equal('ok x');
      await rejection(retry(new FixedBalancer(flaky(Infinity).endpoint), { max: 2, timeoutMs: 60_000 })('x', caller.signal));
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
    expect(created).to.have.length(2);
    expect(cleared).to.deep.equal(created);
    expect([added, removed]).to.deep.equal([2, 2]);
  });

  it('pauses between attempts when asked, and the pause ends at the deadline', async () => {
    const f = flaky(2);
    const pauses: number[] = [];
    const call = retry(new FixedBalancer(f.endpoint), { max: 5, timeoutMs: 5000, delayMs: (n) => (pauses.push(n), 20) });
    expect(await call('x')).to.equal('ok x');
    expect(pauses).to.deep.equal([1, 2]);
    const never = flaky(Infinity);
    const err = await rejection(retry(new FixedBalancer(never.endpoint), { max: 5, timeoutMs: 50, delayMs: 10_000 })('x'));
    expect(never.state.calls).to.equal(1);
    expect(err.final.name).to.equal('TimeoutError');
  });

  it('rejects bad options', () => {
    const lb = new FixedBalancer(flaky(0).endpoint);
    expect(() => retry(lb, { max: 0, timeoutMs: 10 })).to.throw(RangeError, 'max');
    expect(() => retry(lb, { max: 1.5, timeoutMs: 10 })).to.throw(RangeError, 'max');
    expect(() => retry(lb, { max: 1, timeoutMs: 0 })).to.throw(RangeError, 'timeoutMs');
    expect(() => retry(lb, { max: 1, timeoutMs: Infinity })).to.throw(RangeError, 'timeoutMs');
  });
});
