import type { FuzzClient } from './fuzz-client.js';
import type { CrashModel, Observed } from './crash-model.js';

export const PREFIX = 'crash/';
export const WRITERS = 4;
const KEYS_PER_WRITER = 4;

/** Errors a request sees when the agent is killed under it (`aborted`: a streamed answer, GET /v1/snapshot, cut off); anything else is a failure. */
export function isKillError(err: unknown): boolean {
  return /ECONNRESET|ECONNREFUSED|socket hang up|EPIPE|^aborted$|no answer within/.test(String((err as Error)?.message ?? err));
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * One writer: owns its keys, writes them one at a time (KV PUT then a read-back for the
 * ModifyIndex, /v1/txn set whose result carries it, or DELETE) until `stop()` says so or the
 * agent dies. `size` is the value size (large values make the log reach its snapshot size).
 */
export async function writer(client: FuzzClient, model: CrashModel, w: number, size: number, random: () => number, stop: () => boolean): Promise<void> {
  const pad = 'v'.repeat(size);
  for (let seq = 0; seq < 1_000_000 && !stop(); seq++) {
    const key = `${PREFIX}w${w}/k${Math.floor(random() * KEYS_PER_WRITER)}`;
    const value = `w${w}-${seq}-${Date.now()}-${pad}`;
    const op = random();
    try {
      // /v1/txn bodies are capped at 512 KiB (base64 grows a value by a third): large values go by PUT.
      if (op < 0.45 || (op < 0.9 && size > 300_000)) {
        model.begin(key, value);
        const res = await client.send({ method: 'PUT', path: `/v1/kv/${key}`, headers: {}, body: Buffer.from(value) });
        if (res.status !== 200 || res.body.toString() !== 'true') throw new Error(`PUT ${key} answered ${res.status} ${res.body.toString().slice(0, 200)}`);
        model.end(key, true);
        const get = await client.send({ method: 'GET', path: `/v1/kv/${key}`, headers: {} });
        if (get.status !== 200) throw new Error(`GET ${key} after an acknowledged PUT answered ${get.status}`);
        const [e] = JSON.parse(get.body.toString()) as Array<{ Value: string; ModifyIndex: number }>;
        if (e.Value !== b64(value)) throw new Error(`GET ${key} right after its PUT returned another value`);
        model.learned(key, value, e.ModifyIndex);
      } else if (op < 0.9) {
        model.begin(key, value);
        const body = Buffer.from(JSON.stringify([{ KV: { Verb: 'set', Key: key, Value: b64(value) } }]));
        const res = await client.send({ method: 'PUT', path: '/v1/txn', headers: { 'Content-Type': 'application/json' }, body });
        if (res.status !== 200) throw new Error(`txn set ${key} answered ${res.status} ${res.body.toString().slice(0, 200)}`);
        const out = JSON.parse(res.body.toString()) as { Results: Array<{ KV: { ModifyIndex: number } }> };
        model.end(key, true, out.Results[0].KV.ModifyIndex);
      } else {
        model.begin(key, null);
        const res = await client.send({ method: 'DELETE', path: `/v1/kv/${key}`, headers: {} });
        if (res.status !== 200) throw new Error(`DELETE ${key} answered ${res.status}`);
        model.end(key, true);
      }
    } catch (err) {
      if (isKillError(err)) return; // the agent died under this write: it stays in flight
      throw err;
    }
  }
}

/** Every key under the crash prefix, with value and ModifyIndex. */
export async function observe(client: FuzzClient): Promise<Observed> {
  const res = await client.send({ method: 'GET', path: `/v1/kv/${PREFIX}?recurse`, headers: {} });
  if (res.status === 404) return new Map();
  if (res.status !== 200) throw new Error(`GET /v1/kv/${PREFIX}?recurse answered ${res.status} ${res.body.toString().slice(0, 200)}`);
  const entries = JSON.parse(res.body.toString()) as Array<{ Key: string; Value: string | null; ModifyIndex: number }>;
  return new Map(entries.map((e) => [e.Key, { value: Buffer.from(e.Value ?? '', 'base64').toString(), index: e.ModifyIndex }]));
}

/** A small deterministic PRNG (mulberry32), so one seed replays one run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
