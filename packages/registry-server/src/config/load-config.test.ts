import { expect } from 'chai';
import { tempFiles } from './test-files.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { DNS_DEFAULTS } from './dns-settings.js';
import { loadAgentConfig } from './load-config.js';

function fails(argv: string[]): string {
  try {
    loadAgentConfig(argv);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  return expect.fail(`expected ${JSON.stringify(argv)} to fail`);
}

describe('loadAgentConfig', () => {
  const tmp = tempFiles();
  const write = tmp.write;
  let dir: string;
  beforeEach(() => {
    dir = tmp.dir();
  });

  it('-dev: an in-memory server that is its own leader, UI on, debug logs, defaults elsewhere', () => {
    expect(loadAgentConfig(['-dev']).config.nodeName).to.equal(hostname());
    expect(loadAgentConfig(['-dev', '-node', 'n1'])).to.deep.equal({
      config: {
        dev: true,
        server: true,
        bootstrap: true,
        nodeName: 'n1',
        nodeMeta: {},
        datacenter: 'dc1',
        bindAddr: '127.0.0.1',
        clientAddrs: ['127.0.0.1'],
        ports: { http: 8500, dns: 8600, server: 8300, sidecarMin: 21000, sidecarMax: 21255 },
        dns: DNS_DEFAULTS,
        defaultQueryTime: 300_000,
        maxQueryTime: 600_000,
        sessionTtlMin: 10_000,
        reconnectTimeout: 72 * 3_600_000,
        memberTimeout: 6000,
        logLevel: 'debug',
        enableScriptChecks: false,
        enableLocalScriptChecks: false,
        checkUpdateInterval: 300_000,
        discardCheckOutput: false,
        checkOutputMaxSize: 4096,
        leaveOnTerminate: false,
        skipLeaveOnInterrupt: true,
        uiEnabled: true,
        limits: { kvMaxValueSize: 524_288, txnMaxReqLen: 524_288, httpMaxConnsPerClient: 200, snapshotMaxSize: 1024 ** 3 },
        services: [],
        checks: [],
        configFiles: [],
        store: 'embedded',
        retryJoinWan: [],
      },
      warnings: [],
    });
  });

  it('-store etcd: needs the endpoints, takes the prefix and timeouts from the file, and says bootstrap means nothing', () => {
    expect(() => loadAgentConfig(['-dev', '-store', 'etcd'])).to.throw(/-etcd-endpoints/);
    expect(() => loadAgentConfig(['-dev', '-store', 'zookeeper'])).to.throw(/embedded.*etcd/);
    expect(() => loadAgentConfig(['-dev', '-store', 'etcd', '-etcd-endpoints', 'ftp://x'])).to.throw(/http/);
    const { config, warnings } = loadAgentConfig(['-server', '-data-dir', '/tmp/praetor-x', '-node', 'n', '-bootstrap-expect', '3', '-store', 'etcd', '-etcd-endpoints', 'http://127.0.0.1:2379,http://127.0.0.1:22379']);
    expect(config.store).to.equal('etcd');
    expect(config.etcd).to.deep.equal({ endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'], prefix: 'praetor', dialTimeout: 5000 });
    expect(warnings.join('\n')).to.match(/bootstrap.*mean nothing with store etcd/);
    expect(() => loadAgentConfig(['-data-dir', '/tmp/praetor-x', '-node', 'n', '-store', 'etcd', '-etcd-endpoints', 'http://127.0.0.1:2379'])).to.throw(/requires 'server = true'/);
  });

  it('requires a data dir without -dev', () => {
    expect(fails([])).to.match(/^data_dir cannot be empty: pass -data-dir=<path>/);
    expect(fails(['-data-dir='])).to.match(/^data_dir cannot be empty/);
    expect(fails(['-data-dir', write('file', 'x')])).to.match(/^data_dir ".*file" is not a directory$/);
    const { config, warnings } = loadAgentConfig(['-data-dir', join(dir, 'not-yet')]);
    // Without -server: a client agent, which says it has no server to join yet.
    expect(config).to.include({ dev: false, server: false, bootstrap: false, uiEnabled: false, logLevel: 'info', dataDir: join(dir, 'not-yet') });
    expect(config.client).to.deep.equal({ join: [], retryJoin: [], retryInterval: 30_000, retryMax: 0, syncInterval: 60_000 });
    expect(warnings.join('\n')).to.match(/this client agent has no server to join yet/);
  });

  it('a client takes -join, -retry-join, -retry-interval, -retry-max and -sync-interval; a server warns that they are a client’s', () => {
    const args = ['-data-dir', join(dir, 'client'), '-join=10.0.0.1', '-retry-join=s1:8500', '-retry-join=s2', '-retry-interval=5s', '-retry-max=3', '-sync-interval=2m'];
    const { config, warnings } = loadAgentConfig(args);
    expect(config.client).to.deep.equal({ join: ['10.0.0.1'], retryJoin: ['s1:8500', 's2'], retryInterval: 5_000, retryMax: 3, syncInterval: 120_000 });
    expect(warnings).to.deep.equal([]);
    const server = loadAgentConfig(['-server', ...args]);
    expect(server.config.client).to.equal(undefined);
    expect(server.warnings.join('\n')).to.contain('start_join is a client agent').and.to.contain('sync_interval is a client agent');
    expect(fails(['-data-dir', dir, '-retry-max=-1'])).to.contain('-retry-max');
  });

  it("leaves on SIGTERM and SIGINT by default on a client, never on a server (Consul's leave_on_terminate / skip_leave_on_interrupt)", () => {
    const client = (file: Record<string, unknown>) => loadAgentConfig(['-data-dir', join(dir, 'c'), `-config-file=${write('leave.json', JSON.stringify(file))}`]);
    expect(client({}).config).to.include({ leaveOnTerminate: true, skipLeaveOnInterrupt: false });
    expect(client({ leave_on_terminate: false, skip_leave_on_interrupt: true }).config).to.include({ leaveOnTerminate: false, skipLeaveOnInterrupt: true });
    const server = loadAgentConfig(['-server', '-data-dir', join(dir, 's')]);
    expect(server.config).to.include({ leaveOnTerminate: false, skipLeaveOnInterrupt: true });
    expect(server.warnings).to.deep.equal([]);
    const asked = loadAgentConfig(['-server', '-data-dir', join(dir, 's'), `-config-file=${write('s.json', JSON.stringify({ leave_on_terminate: true }))}`]);
    expect(asked.config).to.include({ leaveOnTerminate: false, skipLeaveOnInterrupt: true });
    expect(asked.warnings.join('\n')).to.contain('a server does not leave the cluster on a signal in Praetor');
  });

  it('-dev drops a data dir with a warning; files and flags may still change its defaults', () => {
    const file = write('a.json', { data_dir: dir, log_level: 'info', ui_config: { enabled: false }, server: false });
    const { config, warnings } = loadAgentConfig(['-dev', '-config-file', file]);
    expect(config.dataDir).to.equal(undefined);
    expect(config).to.include({ server: true, bootstrap: true, logLevel: 'info', uiEnabled: false });
    expect(warnings).to.deep.equal([
      `-dev keeps all state in memory; data_dir ${JSON.stringify(dir)} is ignored`,
      '-dev always runs a server that is its own leader; server = false is ignored',
    ]);
  });

  it('flags override config files, which merge in order', () => {
    const a = write('a.json', { datacenter: 'east', node_name: 'from-a', ports: { http: 1234 }, log_level: 'warn', node_meta: { a: 'file', b: 'file' } });
    const b = write('b.json', { node_name: 'from-b', ports: { dns: 0 } });
    const { config } = loadAgentConfig(['-dev', '-config-file', a, '-config-file', b, '-datacenter', 'west', '-node-meta', 'a:flag', '-dns-port', '5353']);
    expect(config).to.include({ datacenter: 'west', nodeName: 'from-b', logLevel: 'warn' });
    expect(config.ports).to.deep.equal({ http: 1234, dns: 5353, server: 8300, sidecarMin: 21000, sidecarMax: 21255 });
    expect(config.nodeMeta).to.deep.equal({ a: 'flag', b: 'file' });
    expect(config.configFiles).to.deep.equal([a, b]);
  });

  it('reads -config-dir in alphabetical order and returns the files warnings', () => {
    write('conf.d/20-web.json', { service: { name: 'web', port: 80 }, telemetry: {} });
    write('conf.d/10-base.json', { datacenter: 'base', services: [{ name: 'db' }] });
    const { config, warnings } = loadAgentConfig(['-dev', '-config-dir', join(dir, 'conf.d')]);
    expect(config.datacenter).to.equal('base');
    expect(config.services).to.deep.equal([{ Name: 'db' }, { Name: 'web', Port: 80 }]);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('20-web.json').and.to.contain('telemetry');
  });

  it('validates file-defined services and checks, naming the file', () => {
    const noName = write('a.json', { services: [{ name: 'ok' }, { port: 80 }] });
    expect(fails(['-dev', '-config-file', noName])).to.equal(`config file ${JSON.stringify(noName)}: services[1]: Missing service name`);
    const script = write('b.json', { check: { name: 'sh', args: ['/bin/true'], interval: '10s' } });
    expect(fails(['-dev', '-config-file', script])).to.match(/^config file ".*b.json": check: Scripts are disabled/);
    expect(loadAgentConfig(['-dev', '-enable-local-script-checks', '-config-file', script]).config.checks).to.deep.equal([
      { Name: 'sh', ScriptArgs: ['/bin/true'], Interval: '10s' },
    ]);
    const anonymous = write('c.json', { checks: [{ ttl: '10s' }] });
    expect(fails(['-dev', '-config-file', anonymous])).to.match(/checks\[0\]: a check needs a "name" or an "id"$/);
  });

  it('checks server and bootstrap rules as Consul does', () => {
    expect(fails(['-data-dir', dir, '-bootstrap'])).to.match(/^'bootstrap = true' requires 'server = true'/);
    expect(fails(['-data-dir', dir, '-bootstrap-expect', '3'])).to.match(/^'bootstrap_expect > 0' requires 'server = true'/);
    expect(fails(['-data-dir', dir, '-server', '-bootstrap', '-bootstrap-expect', '3'])).to.contain('mutually exclusive');
    expect(fails(['-dev', '-bootstrap-expect', '1'])).to.equal("'bootstrap_expect > 0' not allowed in dev mode");
    const { config, warnings } = loadAgentConfig(['-data-dir', dir, '-server', '-bootstrap-expect=1']);
    expect(config).to.include({ server: true, bootstrap: true });
    expect(warnings).to.deep.equal(['BootstrapExpect is set to 1; this is the same as Bootstrap mode.']);
  });

  it('validates node name, node meta and node ID', () => {
    expect(fails(['-dev', '-node='])).to.match(/^node_name cannot be empty/);
    expect(loadAgentConfig(['-dev', '-node', 'web_1']).warnings[0]).to.contain('will not be discoverable via DNS');
    expect(fails(['-dev', '-node-meta', 'bad key:v'])).to.equal('node_meta invalid: Key contains invalid characters: "bad key"');
    expect(fails(['-dev', '-node-meta', 'consul-x:v'])).to.match(/^node_meta invalid: Key prefix 'consul-' is reserved/);
    expect(loadAgentConfig(['-dev', '-node-id', 'ADF4238A-882B-9DDC-4A9D-5B6758E4159E']).config.nodeId).to.equal('adf4238a-882b-9ddc-4a9d-5b6758e4159e');
  });

  it('allows port 0 (any free port) and takes addresses.http over client_addr and -client', () => {
    const file = write('a.json', { addresses: { http: '127.0.0.2' } });
    const { config } = loadAgentConfig(['-dev', '-http-port', '0', '-client', '::1', '-config-file', file]);
    expect(config.ports.http).to.equal(0);
    expect(config.clientAddrs).to.deep.equal(['127.0.0.2']);
    expect(loadAgentConfig(['-dev', '-client', '127.0.0.1 ::1']).config.clientAddrs).to.deep.equal(['127.0.0.1', '::1']);
  });

  it('passes flag errors through and answers -h with the usage', () => {
    expect(fails(['-dev', '-foo'])).to.match(/^flag provided but not defined: -foo/);
    expect(fails(['-h'])).to.match(/^Usage: praetor agent/);
  });
});
