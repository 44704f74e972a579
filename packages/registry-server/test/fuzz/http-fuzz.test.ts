import { expect } from 'chai';
import fc from 'fast-check';
import fs from 'node:fs';
import { BODY_LIMIT } from '../../src/http/handlers/body-limit.js';
import { ROUTES } from '../../src/http/routes.js';
import { startAgent, tempDir, type AgentProcess } from '../integration/harness.js';
import { describe as describeRequest, FuzzClient, type FuzzRequest } from './fuzz-client.js';
import { fuzzConfig, progress, replayHint } from './fuzz-config.js';
import { requestArb } from './request-arbitraries.js';
import { checkAnswer, routeKey } from './response-checks.js';

const TABLE_PATHS = ROUTES.map((r) => r.path);
/** Blocking reads are bounded to 1s so that a generated ?index cannot hold a worker for minutes. */
const QUERY_TIME = ['-max-query-time=1s', '-default-query-time=1s', '-log-level=warn'];

interface Tally {
  sent: number;
  byStatus: Map<number, number>;
  /** Bodies cut off by a reset after Node's parser refused the head (see sendAndCheck). */
  parserResets: number;
  /** Bodies over the API's body limit cut off once the 413 was out (see sendAndCheck). */
  limitCuts: number;
}

/** Requests are generated in chunks of this many, chunk k from seed + k (so a seed replays a run). */
const CHUNK = 500;

/** Sends one request and checks its answer; returns what is wrong, or undefined. */
async function sendAndCheck(client: FuzzClient, req: FuzzRequest, tally: Tally): Promise<string | undefined> {
  try {
    const res = await client.send(req);
    tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
    return checkAnswer(req, res, routeKey(req.path, TABLE_PATHS));
  } catch (err) {
    // Node's HTTP parser refuses some heads itself (a raw byte >= 0x80 in the path: 400; a head
    // over 16 KiB: 431) and closes at once; a client still sending a body then reads a reset, not
    // the answer. Accepted only when the same head without the body gets that parser answer.
    // (Go's server lingers so the client reads its 400; routed as a finding, see the report.)
    // A body over the API's limit is refused as soon as the limit is passed and the connection is
    // closed rather than drained (issue 8): a client still sending then reads a reset, not the 413.
    // Accepted only past the limit and only on routes with that limit (a snapshot is read whole).
    const reset = /ECONNRESET|EPIPE/.test((err as Error).message);
    if (reset && req.body && req.body.length > BODY_LIMIT && !req.path.startsWith('/v1/snapshot')) {
      tally.limitCuts++;
      return undefined;
    }
    if (reset && req.body && req.body.length > 0) {
      const again = await client.send({ ...req, body: undefined }).catch(() => undefined);
      if (again && (again.status === 400 || again.status === 431) && !again.headers['content-type']) {
        tally.parserResets++;
        return undefined;
      }
    }
    return `no answer (${(err as Error).message})`;
  } finally {
    tally.sent++;
  }
}

/**
 * A snapshot the agent itself produced restores: whatever the fuzzer registered (NUL in names,
 * odd keys), GET /v1/snapshot followed by PUT /v1/snapshot of it answers 200.
 */
async function ownSnapshotRestores(client: FuzzClient): Promise<string | undefined> {
  const snap = await client.send({ method: 'GET', path: '/v1/snapshot', headers: {} });
  if (snap.status !== 200) return `GET /v1/snapshot answered ${snap.status}: ${snap.body.subarray(0, 300).toString()}`;
  const back = await client.send({ method: 'PUT', path: '/v1/snapshot', headers: {}, body: snap.body });
  const text = back.body.subarray(0, 300).toString();
  if (back.status !== 200) return `PUT /v1/snapshot of the agent's own snapshot answered ${back.status}: ${text}`;
  return undefined;
}

/** The agent is up and answers the leader endpoint as Consul does. */
async function leaderAnswers(client: FuzzClient): Promise<void> {
  const res = await client.send({ method: 'GET', path: '/v1/status/leader', headers: {} });
  expect(res.status, 'GET /v1/status/leader').to.equal(200);
  expect(JSON.parse(res.body.toString())).to.be.a('string');
}

/**
 * Sends `total` generated requests to `agent` from `concurrency` workers over keep-alive
 * connections. Properties: every answer passes checkAnswer, the process never exits, and every
 * 2,000 requests and at the end the leader endpoint answers and the agent's own snapshot restores. Stops at the first failure and
 * names the request (its number in the run, which PRAETOR_FUZZ_SEED regenerates).
 */
async function fuzzAgent(agent: AgentProcess, total: number, baseSeed: number, offset: number, concurrency: number): Promise<Tally> {
  const seed = baseSeed + offset * 1_000_003;
  const client = new FuzzClient(agent.host, agent.port, concurrency);
  const tally: Tally = { sent: 0, byStatus: new Map(), parserResets: 0, limitCuts: 0 };
  try {
    const snap = await client.send({ method: 'GET', path: '/v1/snapshot', headers: {} });
    expect(snap.status, 'GET /v1/snapshot').to.equal(200);
    const arb = requestArb(snap.body);
    progress(`HTTP fuzz: ${total} requests, ${concurrency} at a time, PRAETOR_FUZZ_SEED=${baseSeed}`);
    const started = Date.now();
    let lastReport = started;
    let next = 0;
    let chunkNo = -1;
    let chunk: FuzzRequest[] = [];
    let failure: string | undefined;
    const worker = async () => {
      while (!failure && next < total) {
        const n = next++;
        if (Math.floor(n / CHUNK) !== chunkNo) {
          chunkNo = Math.floor(n / CHUNK);
          chunk = fc.sample(arb, { seed: seed + chunkNo, numRuns: CHUNK });
        }
        const req = chunk[n % CHUNK];
        const problem = await sendAndCheck(client, req, tally);
        if (agent.proc.exitCode !== null || agent.proc.signalCode !== null) {
          failure ??= `the agent exited (${agent.proc.exitCode ?? agent.proc.signalCode}) around request #${n}: ${describeRequest(req)}\n${agent.output().slice(-3000)}`;
        }
        if (problem) failure ??= `request #${n}: ${problem}\n  request: ${describeRequest(req)}`;
        if (n > 0 && n % 2000 === 0) {
          await leaderAnswers(client);
          const bad = await ownSnapshotRestores(client);
          if (bad) failure ??= `after request #${n}: ${bad}`;
        }
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          const rate = Math.round(tally.sent / ((lastReport - started) / 1000));
          progress(`${tally.sent}/${total} requests, ${rate}/s, statuses ${JSON.stringify(Object.fromEntries(tally.byStatus))}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure) throw new Error(`${replayHint('HTTP fuzz', baseSeed)}\n${failure}`);
    await leaderAnswers(client);
    const bad = await ownSnapshotRestores(client);
    if (bad) throw new Error(`${replayHint('HTTP fuzz', baseSeed)}\nat the end: ${bad}`);
    const secs = (Date.now() - started) / 1000;
    progress(`${tally.sent} requests in ${secs.toFixed(1)}s (${Math.round(tally.sent / secs)}/s, ${client.retries} resent after an idle keep-alive close, ${tally.parserResets} bodies cut off after Node's parser refused the head, ${tally.limitCuts} bodies over the limit cut off after the 413), PRAETOR_FUZZ_SEED=${baseSeed}, statuses ${JSON.stringify(Object.fromEntries(tally.byStatus))}`);
    return tally;
  } finally {
    client.close();
  }
}

describe('HTTP fuzz: generated requests over every route', function () {
  const cfg = fuzzConfig();
  // About 2 ms a request on a loaded machine, plus agent start; the bounded run takes seconds.
  this.timeout(60_000 + cfg.requests * 5);
  let agent: AgentProcess | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const devShare = Math.ceil(cfg.requests * 0.8);
  it(`answers ${devShare} requests on a -dev agent: no crash, no 5xx Consul would not answer, every body valid`, async () => {
    agent = await startAgent(['-dev', ...QUERY_TIME]);
    const tally = await fuzzAgent(agent, devShare, cfg.seed, 0, cfg.concurrency);
    expect(tally.sent).to.be.at.least(devShare);
  });

  const diskShare = Math.max(1, cfg.requests - devShare);
  it(`answers ${diskShare} requests on a -data-dir agent, which then restarts on its data dir`, async () => {
    dir = tempDir('praetor-fuzz-');
    const args = ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=fuzz-disk', ...QUERY_TIME];
    agent = await startAgent(args);
    const tally = await fuzzAgent(agent, diskShare, cfg.seed, 1, cfg.concurrency);
    expect(tally.sent).to.be.at.least(diskShare);
    expect(await agent.stop('SIGTERM')).to.equal(0);
    // Whatever the fuzzer wrote, the data dir must load again.
    agent = await startAgent(args);
    const client = new FuzzClient(agent.host, agent.port, 1);
    try {
      await leaderAnswers(client);
    } finally {
      client.close();
    }
  });
});
