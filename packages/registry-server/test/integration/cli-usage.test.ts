import { expect } from 'chai';
import { freePort, runPraetor, startAgent, type AgentProcess } from './harness.js';

/** Environment with no agent address set, whatever the test runner's own environment holds. */
const NO_ADDR = { PRAETOR_HTTP_ADDR: '', CONSUL_HTTP_ADDR: '' };

describe('praetor client commands: agent address, connection failures, misuse', function () {
  this.timeout(60000);

  describe('the agent address', () => {
    let a: AgentProcess;
    let b: AgentProcess;
    before(async () => {
      [a, b] = await Promise.all([startAgent(['-dev', '-node=addr-a']), startAgent(['-dev', '-node=addr-b'])]);
    });
    after(async () => {
      await Promise.all([a.stop(), b.stop()]);
    });

    /** The node that answered `praetor members`. */
    async function answeredBy(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
      const res = await runPraetor(['members', ...args], { env: { ...NO_ADDR, ...env } });
      expect(res.code, res.stderr).to.equal(0);
      return res.stdout.split('\n')[1]!.split(/\s+/)[0]!;
    }

    it('takes -http-addr first, then PRAETOR_HTTP_ADDR, then CONSUL_HTTP_ADDR', async () => {
      const addrA = `127.0.0.1:${a.port}`;
      const addrB = `127.0.0.1:${b.port}`;
      expect(await answeredBy([`-http-addr=${addrA}`], { PRAETOR_HTTP_ADDR: addrB, CONSUL_HTTP_ADDR: addrB })).to.equal('addr-a');
      expect(await answeredBy(['-http-addr', `http://${addrB}`], { PRAETOR_HTTP_ADDR: addrA })).to.equal('addr-b');
      expect(await answeredBy([], { PRAETOR_HTTP_ADDR: addrA, CONSUL_HTTP_ADDR: addrB })).to.equal('addr-a');
      expect(await answeredBy([], { CONSUL_HTTP_ADDR: `http://${addrB}` })).to.equal('addr-b');
    });
  });

  it('a refused connection is a clear message and exit 1, for every command', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const cases: [string[], string][] = [
      [['members'], 'Error retrieving members: Get'],
      [['join', '127.0.0.1:1'], "Error joining address '127.0.0.1:1': Put"],
      [['leave'], 'Error leaving: Put'],
      [['force-leave', 'n1'], 'Error force leaving: Put'],
      [['reload'], 'Error reloading: Put'],
      [['info'], 'Error querying agent: Get'],
      [['maint'], 'Error querying agent: Get'],
      [['maint', '-enable'], 'Error enabling node maintenance: Put'],
      [['catalog', 'datacenters'], 'Error listing datacenters: Get'],
      [['catalog', 'nodes'], 'Error listing nodes: Get'],
      [['catalog', 'services'], 'Error listing services: Get'],
      [['services', 'register', '-name=x'], 'Error registering service "x": Put'],
      [['services', 'deregister', '-id=x'], 'Error deregistering service "x": Put'],
    ];
    for (const [args, prefix] of cases) {
      const res = await runPraetor(args, { env: { ...NO_ADDR, CONSUL_HTTP_ADDR: addr } });
      expect(res.code, args.join(' ')).to.equal(1);
      expect(res.stdout, args.join(' ')).to.equal('');
      expect(res.stderr, args.join(' ')).to.include(prefix);
      expect(res.stderr, args.join(' ')).to.include(`connect ECONNREFUSED ${addr}`);
      expect(res.stderr, args.join(' ')).to.include('Is a Praetor agent running there?');
    }
  });

  it('misuse (unknown flag, missing or extra arguments, bad flag values) prints a usage hint and exits 1', async () => {
    const cases: [string[], string][] = [
      [['members', '-bogus'], 'flag provided but not defined: -bogus'],
      [['members', 'extra'], 'Too many arguments (expected 0, got 1)'],
      [['info', 'a', 'b'], 'Too many arguments (expected 0, got 2)'],
      [['reload', 'now'], 'Too many arguments (expected 0, got 1)'],
      [['maint', 'x'], 'Too many arguments (expected 0, got 1)'],
      [['catalog', 'nodes', 'x'], 'Too many arguments (expected 0, got 1)'],
      [['catalog', 'services', '-nodes=x'], 'flag provided but not defined: -nodes'],
      [['catalog', 'datacenters', 'x'], 'Too many arguments (expected 0, got 1)'],
      [['join'], 'At least one address to join must be specified.'],
      [['leave', 'x'], 'Error found unexpected args: [x]'],
      [['force-leave'], 'A single node name must be specified to force leave.'],
      [['force-leave', 'a', 'b'], 'A single node name must be specified to force leave.'],
      [['services', 'register'], 'Service registration requires at least one argument or flags.'],
      [['services', 'register', '-name=x', 'f.json'], 'Service registration requires arguments or -name, not both.'],
      [['services', 'register', '-name=x', '-port=http'], 'invalid value "http" for flag -port: parse error'],
      [['services', 'register', '-name=x', '-meta=novalue'], 'invalid value "novalue" for flag -meta: Missing "=" value in argument: novalue'],
      [['services', 'deregister'], 'Service deregistration requires at least one argument or -id.'],
      [['services', 'deregister', '-id=x', 'f.json'], 'Service deregistration requires arguments or -id, not both.'],
      [['catalog', 'nodes', '-service'], 'flag needs an argument: -service'],
    ];
    for (const [args, message] of cases) {
      const res = await runPraetor(args, { env: { ...NO_ADDR, CONSUL_HTTP_ADDR: '127.0.0.1:1' } });
      const cmd = args.filter((a) => /^[a-z-]+$/.test(a)).slice(0, args[0] === 'catalog' || args[0] === 'services' ? 2 : 1).join(' ');
      expect(res.code, args.join(' ')).to.equal(1);
      expect(res.stdout, args.join(' ')).to.equal('');
      expect(res.stderr, args.join(' ')).to.equal(`${message}\nRun 'praetor ${cmd} -h' for usage.\n`);
    }
  });

  it('-h prints each command\'s usage with its options and exits 0', async () => {
    for (const [args, usage, option] of [
      [['agent', '-h'], 'Usage: praetor agent [options]', '-data-dir=<path>'],
      [['members', '-h'], 'Usage: praetor members [options]', '-status=<regexp>'],
      [['join', '-help'], 'Usage: praetor join [options] ADDRESS ...', '-http-addr=<address>'],
      [['force-leave', '--help'], 'Usage: praetor force-leave [options] NODE', '-prune'],
      [['reload', '-h'], 'Usage: praetor reload [options]', '-token=<value>'],
      [['services', 'register', '-h'], 'Usage: praetor services register [options] [FILE...]', '-meta=<key=value>'],
      [['catalog', 'nodes', '-h'], 'Usage: praetor catalog nodes [options]', '-node-meta=<key=value>'],
    ] as const) {
      const res = await runPraetor([...args]);
      expect(res.code, args.join(' ')).to.equal(0);
      expect(res.stdout, args.join(' ')).to.include(usage);
      expect(res.stdout, args.join(' ')).to.include(option);
    }
    const top = await runPraetor(['-h']);
    for (const name of ['members', 'join', 'leave', 'force-leave', 'reload', 'info', 'maint', 'catalog', 'services']) {
      expect(top.stdout).to.match(new RegExp(`\\n    ${name}\\s`));
    }
    const catalog = await runPraetor(['catalog', '-h']);
    expect(catalog.stdout).to.match(/\n    datacenters\s+.*\n    nodes\s+.*\n    services\s/);
  });

  it('version, no command, an unknown command and a bare group: output and exit codes', async () => {
    for (const args of [['version'], ['--version'], ['-version']]) {
      const res = await runPraetor(args);
      expect([res.code, res.stderr], args.join(' ')).to.deep.equal([0, '']);
      expect(res.stdout, args.join(' ')).to.match(/^Praetor v\d+\.\d+\.\d+\nConsul API compatibility: v1\.8\.7\n$/);
    }
    const extra = await runPraetor(['version', 'now']);
    expect(extra.code).to.equal(1);
    expect(extra.stderr).to.include('This command takes no arguments');
    const none = await runPraetor([]);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.include('Usage: praetor [--version] [--help] <command> [<args>]');
    const unknown = await runPraetor(['frobnicate']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include('praetor: unknown command "frobnicate"');
    const group = await runPraetor(['kv']);
    expect(group.code).to.equal(1);
    expect(group.stderr).to.match(/Usage: praetor kv <subcommand>[\s\S]*\n    get\s[\s\S]*\n    put\s/);
    const badSub = await runPraetor(['kv', 'fetch']);
    expect(badSub.code).to.equal(1);
    expect(badSub.stderr).to.include('praetor kv: unknown subcommand "fetch"');
  });
});
