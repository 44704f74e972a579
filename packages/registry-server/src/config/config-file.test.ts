import { expect } from 'chai';
import { tempFiles } from './test-files.js';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseConfigFile, readConfigSources } from './config-file.js';

function fails(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  return expect.fail('expected a ConfigError');
}

const parse = (obj: unknown) => parseConfigFile('a.json', JSON.stringify(obj));

describe('config files', () => {
  const tmp = tempFiles();
  const write = tmp.write;
  let dir: string;
  beforeEach(() => {
    dir = tmp.dir();
  });

  it('reads the Consul keys Praetor implements', () => {
    const { layer, warnings } = parse({
      data_dir: '/var/lib/praetor', node_name: 'n1', node_id: 'ADF4238A-882B-9DDC-4A9D-5B6758E4159E', node_meta: { rack: 'r1' },
      datacenter: 'EAST', bind_addr: '127.0.0.1', client_addr: '127.0.0.1 ::1', server: true, bootstrap_expect: 3,
      log_level: 'DEBUG', pid_file: '/run/p.pid', enable_script_checks: false, enable_local_script_checks: true,
      ui_config: { enabled: true }, default_query_time: '30s', max_query_time: '1m',
      ports: { http: 0, dns: 8601, server: 8301 }, addresses: { http: '127.0.0.2', dns: '127.0.0.3' },
      limits: { kv_max_value_size: 1024, txn_max_req_len: 2048, http_max_conns_per_client: 0, snapshot_max_size: 4096 },
      check_update_interval: '30s', discard_check_output: true, check_output_max_size: 100,
    });
    expect(warnings).to.deep.equal([]);
    expect(layer).to.deep.equal({
      dataDir: '/var/lib/praetor', nodeName: 'n1', nodeId: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e', nodeMeta: { rack: 'r1' },
      datacenter: 'east', bindAddr: '127.0.0.1', clientAddrs: ['127.0.0.1', '::1'], server: true, bootstrapExpect: 3,
      logLevel: 'debug', pidFile: '/run/p.pid', enableScriptChecks: false, enableLocalScriptChecks: true,
      uiEnabled: true, defaultQueryTime: 30_000, maxQueryTime: 60_000,
      ports: { http: 0, dns: 8601, server: 8301 }, httpAddrs: ['127.0.0.2'], dnsAddrs: ['127.0.0.3'],
      limits: { kvMaxValueSize: 1024, txnMaxReqLen: 2048, httpMaxConnsPerClient: 0, snapshotMaxSize: 4096 },
      checkUpdateInterval: 30_000, discardCheckOutput: true, checkOutputMaxSize: 100,
    });
    // Consul takes a zero or negative interval as "no wait".
    expect(parse({ check_update_interval: '-1s' }).layer.checkUpdateInterval).to.equal(0);
  });

  it('decodes services and checks from snake_case with the agent schemas', () => {
    const { layer } = parse({
      service: {
        name: 'web', id: 'web-1', port: 8080, tags: ['v1'], enable_tag_override: true,
        tagged_addresses: { lan: { address: '10.0.0.1', port: 80 } },
        check: { args: ['/bin/true'], interval: '10s', deregister_critical_service_after: '1m' },
      },
      services: [{ name: 'db', checks: [{ tcp: 'localhost:5432', interval: '5s' }] }],
      check: { id: 'mem', name: 'Memory', ttl: '30s' },
      checks: [{ name: 'disk', http: 'http://localhost/disk', interval: '1m', service_id: 'web-1' }],
    });
    expect(layer.services!.map((d) => d.value)).to.deep.equal([
      {
        Name: 'web', ID: 'web-1', Port: 8080, Tags: ['v1'], EnableTagOverride: true,
        TaggedAddresses: { lan: { Address: '10.0.0.1', Port: 80 } },
        Check: { ScriptArgs: ['/bin/true'], Interval: '10s', DeregisterCriticalServiceAfter: '1m' },
      },
      { Name: 'db', Checks: [{ TCP: 'localhost:5432', Interval: '5s' }] },
    ]);
    expect(layer.services!.map((d) => d.origin)).to.deep.equal(['config file "a.json": service', 'config file "a.json": services[0]']);
    expect(layer.checks!.map((d) => d.value)).to.deep.equal([
      { CheckID: 'mem', Name: 'Memory', TTL: '30s' },
      { Name: 'disk', HTTP: 'http://localhost/disk', Interval: '1m', ServiceID: 'web-1' },
    ]);
  });

  it('names the file and the field when a definition does not decode', () => {
    expect(fails(() => parse({ services: [{ name: 'a' }, { name: 'b', port: '80' }] })))
      .to.equal('config file "a.json": field "services[1].Port": expected an integer, got a string');
    expect(fails(() => parse({ service: { name: 'a', colour: 'red' } }))).to.equal('config file "a.json": json: unknown field "colour" in service');
    expect(fails(() => parse({ service: [{ name: 'a' }] }))).to.match(/^config file "a.json": service: expected an object, got an array \(use "services"/);
  });

  it('refuses keys that are not Consul settings, naming the file and every key', () => {
    const msg = fails(() => parse({ datacenter: 'dc1', colour: 'red', 'data-dir': '/x', ports: { htttp: 1, http: 2 } }));
    expect(msg).to.match(/^config file "a.json": unknown keys "colour", "data-dir", "ports.htttp": not a Consul agent setting/);
    expect(msg).to.contain('did you mean "data_dir" for "data-dir"?');
  });

  it('accepts Consul settings Praetor does not implement, with one warning per file', () => {
    const { layer, warnings } = parse({
      server: true, connect: { enabled: true }, telemetry: {}, retry_max_wan: 3, acl: { enabled: true },
      ports: { http: 8500, grpc: 8502 }, limits: { rpc_rate: 10 }, ui_config: { enabled: true, content_path: '/ui/' },
    });
    expect(layer).to.deep.equal({ server: true, ports: { http: 8500 }, uiEnabled: true });
    expect(warnings).to.deep.equal([
      'config file "a.json": ignoring Consul settings that Praetor does not implement: connect, telemetry, retry_max_wan, acl, ' +
        'ports.grpc, limits.rpc_rate, ui_config.content_path (ACLs are not enforced: every request is allowed)',
    ]);
  });

  it('maps the deprecated ui key as Consul does', () => {
    expect(parse({ ui: true })).to.deep.equal({
      layer: { uiEnabled: true },
      warnings: ["config file \"a.json\": The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead."],
    });
    expect(parse({ ui: true, ui_config: { enabled: false } }).layer.uiEnabled).to.equal(false);
  });

  it('names the file and key for a value of the wrong type or range', () => {
    const cases: Array<[unknown, string]> = [
      [{ server: 'yes' }, 'config file "a.json": server: expected true or false, got a string'],
      [{ ports: { http: '8500' } }, 'config file "a.json": ports.http: expected an integer, got a string'],
      [{ ports: { dns: 65536 } }, 'config file "a.json": ports.dns: port 65536 is out of range: ports must be 0-65535 (0 picks a free port; -1 turns DNS off)'],
      [{ ports: 8500 }, 'config file "a.json": ports: expected an object, got a number'],
      [{ max_query_time: 600 }, 'config file "a.json": max_query_time: expected a string, got a number'],
      [{ default_query_time: '5 minutes' }, 'config file "a.json": default_query_time: invalid duration "5 minutes"'],
      [{ log_level: 'verbose' }, 'config file "a.json": log_level: unknown log level "verbose": use one of trace, debug, info, warn, error'],
      [{ limits: { kv_max_value_size: -1 } }, 'config file "a.json": limits.kv_max_value_size: expected a non-negative integer, got -1'],
      [{ node_meta: { a: 1 } }, 'config file "a.json": node_meta: expected an object of string values'],
      [{ node_id: 'x' }, 'config file "a.json": node_id: "x" is not a valid UUID (expected 8-4-4-4-12 hex digits)'],
      [{ check_output_max_size: 0 }, 'config file "a.json": check_output_max_size: check_output_max_size must be positive, to discard check output use the discard_check_output flag'],
      [{ check_update_interval: 'soon' }, 'config file "a.json": check_update_interval: invalid duration "soon"'],
      [{ client_addr: '{{ GetPrivateIP }}' }, 'config file "a.json": client_addr: go-sockaddr templates are not supported: "{{ GetPrivateIP }}"; give an IP address'],
    ];
    for (const [obj, want] of cases) expect(fails(() => parse(obj)), JSON.stringify(obj)).to.equal(want);
  });

  it('reports invalid JSON with the file and the line and column', () => {
    const text = '{\n  "datacenter": "dc1",\n  "server": tru\n}\n';
    expect(fails(() => parseConfigFile('b.json', text))).to.match(/^config file "b.json": invalid JSON at line 3, column 13: /);
    expect(fails(() => parseConfigFile('b.json', '{"a": 1,}'))).to.match(/^config file "b.json": invalid JSON at line 1, column 9: /);
    expect(fails(() => parseConfigFile('b.json', ''))).to.match(/^config file "b.json": invalid JSON at line 1, column 1: /);
    expect(fails(() => parseConfigFile('b.json', '[]'))).to.equal('config file "b.json": expected a JSON object at the top level, got an array');
  });

  it('merges files in order: later scalars win, objects merge, services append', () => {
    const a = write('a.json', { datacenter: 'one', node_name: 'n1', ports: { http: 1 }, node_meta: { x: 'a', y: 'a' }, service: { name: 'a' } });
    const b = write('b.json', { datacenter: 'two', ports: { dns: 2 }, node_meta: { y: 'b' }, services: [{ name: 'b' }] });
    const { layer, files } = readConfigSources([a, b]);
    expect(files).to.deep.equal([a, b]);
    expect(layer.datacenter).to.equal('two');
    expect(layer.nodeName).to.equal('n1');
    expect(layer.ports).to.deep.equal({ http: 1, dns: 2 });
    expect(layer.nodeMeta).to.deep.equal({ x: 'a', y: 'b' });
    expect(layer.services!.map((d) => d.value.Name)).to.deep.equal(['a', 'b']);
  });

  it('reads a config dir: *.json in alphabetical order, no subdirectories, others skipped', () => {
    write('conf.d/b.json', { datacenter: 'b' });
    write('conf.d/a.json', { datacenter: 'a', node_name: 'from-a' });
    write('conf.d/10.json', { datacenter: 'ten', node_name: 'from-10' });
    write('conf.d/sub/z.json', { datacenter: 'sub' });
    write('conf.d/README.txt', 'not config');
    const { layer, files, warnings } = readConfigSources([join(dir, 'conf.d')]);
    expect(files.map((f) => f.slice(dir.length + 1))).to.deep.equal(['conf.d/10.json', 'conf.d/a.json', 'conf.d/b.json']);
    expect(layer).to.deep.equal({ datacenter: 'b', nodeName: 'from-a' });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('skipping "README.txt"');
  });

  it('refuses HCL files with a clear message', () => {
    write('conf.d/a.json', {});
    const hcl = write('conf.d/b.hcl', 'datacenter = "dc1"');
    expect(fails(() => readConfigSources([join(dir, 'conf.d')]))).to.equal(`config file ${JSON.stringify(hcl)}: HCL is not supported yet; use JSON (the same keys, in a .json file)`);
    expect(fails(() => readConfigSources([hcl]))).to.contain('HCL is not supported yet');
  });

  it('names the path that cannot be read', () => {
    const missing = join(dir, 'missing.json');
    expect(fails(() => readConfigSources([missing]))).to.match(new RegExp(`^cannot read config path ${JSON.stringify(missing).replace(/[.\\/]/g, '\\$&')} .*ENOENT`));
    mkdirSync(join(dir, 'conf.d'));
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'conf.d', 'dangling.json'));
    expect(fails(() => readConfigSources([join(dir, 'conf.d')]))).to.contain('dangling.json').and.to.contain('ENOENT');
    const other = write('agent.conf', { datacenter: 'x' });
    expect(fails(() => readConfigSources([other]))).to.contain('cannot tell its format');
    expect(readConfigSources([other], 'json').layer.datacenter).to.equal('x');
  });
});
