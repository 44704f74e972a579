import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { OwnedChecks } from './owned-checks.js';

const silent = winston.createLogger({ silent: true });
const script = { source: 'api' as const, Type: 'script' as const, Definition: { ScriptArgs: ['true'], Interval: '10s' } };
const ttl = { source: 'file' as const, Type: 'ttl' as const, Definition: { TTL: '30s' } };

describe('OwnedChecks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'praetor-owned-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the checks the agent registered across a restart, with their definitions, and forgets removed ones', async () => {
    const file = join(dir, 'agent-checks.json');
    const first = new OwnedChecks(file, silent);
    expect(await first.load()).to.equal(false);
    await first.update([['s', script], ['t', ttl]]);
    await first.update([], ['t']);
    expect(existsSync(`${file}.tmp`)).to.equal(false);

    const second = new OwnedChecks(file, silent);
    expect(await second.load()).to.equal(true);
    expect(second.get('s')).to.deep.equal(script);
    expect(second.get('t')).to.equal(undefined);
    expect(second.ids('api')).to.deep.equal(['s']);
  });

  it('puts back what a registration replaced when its write fails, and records it before a write that succeeds', async () => {
    const file = join(dir, 'agent-checks.json');
    const owned = new OwnedChecks(file, silent);
    await owned.update([['s', script]]);
    const changed = { ...script, Definition: { ScriptArgs: ['false'], Interval: '10s' } };
    const failed = await owned.around([['s', changed], ['new', ttl]], () => Promise.reject(new Error('disk full'))).catch((err: Error) => err.message);
    expect(failed).to.equal('disk full');
    expect([owned.get('s'), owned.get('new')]).to.deep.equal([script, undefined]);
    const seenDuringWrite = await owned.around([['s', changed]], async () => owned.get('s'), () => ['gone']);
    expect(seenDuringWrite).to.deep.equal(changed);
    expect(JSON.parse(readFileSync(file, 'utf8')).checks.s).to.deep.equal(changed);
  });

  it('sets a damaged record aside instead of trusting or deleting it', async () => {
    const file = join(dir, 'agent-checks.json');
    writeFileSync(file, '{"checks":{"s":{"source":"catalog","Type":"script","Definition":{}}}}');
    const owned = new OwnedChecks(file, silent);
    expect(await owned.load()).to.equal(false);
    expect(owned.get('s')).to.equal(undefined);
    expect(existsSync(file)).to.equal(false);
    const aside = readdirSync(dir).filter((f) => f.startsWith('agent-checks.json.corrupt-'));
    expect(aside).to.have.length(1);
    expect(readFileSync(join(dir, aside[0]), 'utf8')).to.contain('"catalog"');
  });

  it('lives in memory without a data dir (-dev)', async () => {
    const owned = new OwnedChecks(undefined, silent);
    expect(await owned.load()).to.equal(false);
    await owned.update([['t', ttl]]);
    expect(owned.get('t')).to.deep.equal(ttl);
  });
});
