import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { agentUsage, isHelpRequest, parseAgentFlags } from './flags.js';

function fails(argv: string[]): string {
  try {
    parseAgentFlags(argv);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  return expect.fail(`expected ${JSON.stringify(argv)} to fail`);
}

describe('praetor agent flags', () => {
  it('accepts the forms of Go flag syntax', () => {
    for (const argv of [['-data-dir', '/x'], ['-data-dir=/x'], ['--data-dir', '/x'], ['--data-dir=/x']]) {
      expect(parseAgentFlags(argv).layer.dataDir, argv.join(' ')).to.equal('/x');
    }
    for (const argv of [['-dev'], ['--dev'], ['-dev=true'], ['-dev=1'], ['-dev=T'], ['-dev=TRUE']]) {
      expect(parseAgentFlags(argv).dev, argv.join(' ')).to.equal(true);
    }
    for (const argv of [['-dev=false'], ['-dev=0'], ['-dev=F'], []]) {
      expect(parseAgentFlags(argv).dev, argv.join(' ')).to.equal(false);
    }
  });

  it('keeps multi-letter single-dash flags whole', () => {
    const f = parseAgentFlags(['-dev', '-server', '-ui', '-bootstrap', '-enable-local-script-checks']);
    expect(f.dev).to.equal(true);
    expect(f.layer).to.deep.equal({ server: true, uiEnabled: true, bootstrap: true, enableLocalScriptChecks: true });
  });

  it('maps every value flag onto its setting', () => {
    const f = parseAgentFlags([
      '-node=n1', '-node-id', 'ADF4238A-882B-9DDC-4A9D-5B6758E4159E', '-datacenter', 'East-1', '-bind=127.0.0.2',
      '-client', '127.0.0.1 ::1', '-http-port', '0', '-dns-port=8601', '-server-port', '8301',
      '-default-query-time', '1m', '-max-query-time=2m30s', '-log-level', 'WARN', '-pid-file', '/run/p.pid',
      '-bootstrap-expect', '1', '-enable-script-checks=false', '-check_output_max_size=128',
    ]);
    expect(f.layer).to.deep.equal({
      nodeName: 'n1',
      nodeId: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e',
      datacenter: 'east-1',
      bindAddr: '127.0.0.2',
      clientAddrs: ['127.0.0.1', '::1'],
      ports: { http: 0, dns: 8601, server: 8301 },
      defaultQueryTime: 60_000,
      maxQueryTime: 150_000,
      logLevel: 'warn',
      pidFile: '/run/p.pid',
      bootstrapExpect: 1,
      enableScriptChecks: false,
      checkOutputMaxSize: 128,
    });
  });

  it('repeats -node-meta and keeps -config-file/-config-dir in command-line order', () => {
    const f = parseAgentFlags(['-node-meta', 'a:b', '-config-file', 'one.json', '-node-meta=c:d:e', '-config-dir', 'conf.d', '--config-file=two.json', '-node-meta', 'bare']);
    expect(f.layer.nodeMeta).to.deep.equal({ a: 'b', c: 'd:e', bare: '' });
    expect(f.configPaths).to.deep.equal(['one.json', 'conf.d', 'two.json']);
  });

  it('takes the last value of a flag given twice, as Go does', () => {
    expect(parseAgentFlags(['-node', 'a', '-node', 'b']).layer.nodeName).to.equal('b');
  });

  it('refuses an unknown flag with Go wording and a hint', () => {
    for (const argv of [['-foo'], ['--foo=1'], ['-dev', '-Dev'], ['-d']]) {
      const msg = fails(argv);
      expect(msg).to.match(/^flag provided but not defined: -(foo|Dev|d)\n/);
      expect(msg).to.contain("praetor agent -h");
    }
  });

  it('warns about Consul agent flags Praetor does not implement', () => {
    const f = parseAgentFlags(['-dev', '-retry-max-wan', '3', '-syslog', '-disable-keyring-file', '-server']);
    expect(f.layer.server).to.equal(true);
    expect(f.warnings).to.deep.equal(['ignoring Consul agent flags that Praetor does not implement: -retry-max-wan, -syslog, -disable-keyring-file']);
  });

  it('names the flag when its value is bad', () => {
    const cases: Array<[string[], RegExp]> = [
      [['-http-port', 'abc'], /^invalid value "abc" for flag -http-port: expected an integer/],
      [['-dns-port=70000'], /for flag -dns-port: port 70000 is out of range/],
      [['-server-port', '-1'], /for flag -server-port: port -1 is out of range/],
      [['-default-query-time', '10'], /for flag -default-query-time: invalid duration "10" \(missing unit/],
      [['-max-query-time=0s'], /for flag -max-query-time: .*positive duration/],
      [['-log-level', 'loud'], /for flag -log-level: unknown log level "loud"/],
      [['-node-id', 'node-1'], /for flag -node-id: "node-1" is not a valid UUID/],
      [['-bind', 'localhost'], /for flag -bind: "localhost" is not an IP address/],
      [['-client', '127.0.0.1 nope'], /for flag -client: "nope" is not an IP address/],
      [['-datacenter', 'dc 1'], /for flag -datacenter: datacenter cannot be "dc 1"/],
      [['-bootstrap-expect', '-2'], /for flag -bootstrap-expect: expected a non-negative integer/],
      [['-check_output_max_size', '0'], /for flag -check_output_max_size: check_output_max_size must be positive/],
      [['-dev=maybe'], /^invalid boolean value "maybe" for -dev/],
      [['-hcl', 'x = 1'], /for flag -hcl: HCL is not supported yet; use JSON/],
      [['-config-format', 'hcl'], /for flag -config-format: HCL is not supported yet/],
    ];
    for (const [argv, want] of cases) expect(fails(argv), argv.join(' ')).to.match(want);
  });

  it('needs an argument after a value flag', () => {
    expect(fails(['-data-dir'])).to.match(/^flag needs an argument: -data-dir\n/);
    expect(fails(['-config-dir'])).to.match(/^flag needs an argument: -config-file \(or -config-dir\)/);
    expect(fails(['-node', '-dev'])).to.match(/^flag needs an argument: -node/);
  });

  it('refuses positional arguments as Consul does', () => {
    expect(fails(['-dev', '--', 'x'])).to.match(/^Unknown extra arguments: \[x\]/);
    expect(fails(['x', '-dev'])).to.match(/^Unknown extra arguments: \[x -dev\]/);
  });

  it('recognises -h and -help', () => {
    expect(parseAgentFlags(['-h']).help).to.equal(true);
    expect(parseAgentFlags(['--help']).help).to.equal(true);
    expect(isHelpRequest(['-dev', '-help'])).to.equal(true);
    expect(isHelpRequest(['-dev'])).to.equal(false);
    expect(agentUsage()).to.contain('-data-dir=<path>').and.to.contain('-node-meta=<key:value>');
  });
});
