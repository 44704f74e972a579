import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig } from '../config/load-config.js';
import { RELOAD_FIELDS, restartNeeded } from './reload.js';

describe('reload: what needs a restart', () => {
  it('classifies every configuration field', () => {
    const { config } = loadAgentConfig(['-server', '-data-dir=/nonexistent/praetor-data', '-node=n', '-pid-file=/tmp/x.pid', '-recover-data-dir', '-node-id=7f8c1f2e-6b0b-4c2a-9a7e-1c6d2f9b0a11', `-encrypt=${Buffer.alloc(32).toString('base64')}`, '-store=etcd', '-etcd-endpoints=http://127.0.0.1:2379']);
    const client = loadAgentConfig(['-data-dir=/nonexistent/praetor-data', '-node=n', '-retry-join=s1']).config;
    expect(Object.keys(RELOAD_FIELDS).sort()).to.deep.equal([...new Set([...Object.keys(config), ...Object.keys(client)])].sort());
  });

  it('names the changed settings that are not reloadable, and only those', () => {
    const { config } = loadAgentConfig(['-dev', '-node=n']);
    const next = { ...config, services: [{ Name: 'x' }], nodeMeta: { a: 'b' }, logLevel: 'warn' as const, ports: { ...config.ports, http: 1 }, datacenter: 'dc9' };
    expect(restartNeeded(config, next)).to.deep.equal(['datacenter', 'ports']);
    expect(restartNeeded(config, { ...config })).to.deep.equal([]);
  });

  it('reloads the script-check flags; a reload loads a script check they refuse (the agent will not run it), a start does not', () => {
    expect(RELOAD_FIELDS.enableScriptChecks).to.equal(null);
    expect(RELOAD_FIELDS.enableLocalScriptChecks).to.equal(null);
    const dir = mkdtempSync(join(tmpdir(), 'praetor-reload-'));
    try {
      const file = join(dir, 'a.json');
      writeFileSync(file, JSON.stringify({ check: { name: 's', args: ['true'], interval: '10s' } }));
      const args = ['-dev', '-node=n', `-config-file=${file}`];
      expect(() => loadAgentConfig(args)).to.throw(/Scripts are disabled/);
      expect(loadAgentConfig(args, { keepDisallowedScripts: true }).config.checks).to.deep.equal([{ Name: 's', ScriptArgs: ['true'], Interval: '10s' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
