import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { composeCommandLines } from './command-lines.js';
import { agentConfig, flagValues, retryJoins } from './agent-command.js';
import { composeFile, ETCD_MAX_TXN_OPS, ROOT, type ComposeFile, type ComposeService } from './deploy-files.js';

const dependsOn = (s: ComposeService) => (Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}));
const isEtcd = (s: ComposeService) => /(^|\/)etcd:v3\.4\./.test(s.image ?? '');

// deploy/compose.yaml (issue 10, Deployment): 3 etcd + 3 servers + 2 clients + the arithmetic
// example, with names that point at what exists and command lines the programs accept.
describe('deploy/compose.yaml (issue 10)', () => {
  let compose: ComposeFile;
  before(() => {
    compose = composeFile();
  });
  const agents = () => composeCommandLines(compose).map((line) => ({ name: line.where.replace('compose service ', ''), line, config: agentConfig(line) }));

  it('holds 3 etcd members, 3 Praetor servers, 2 client agents and the arithmetic example', () => {
    const etcd = Object.keys(compose.services).filter((n) => isEtcd(compose.services[n]!));
    expect(etcd).to.deep.equal(['etcd1', 'etcd2', 'etcd3']);
    expect(agents().filter((a) => a.config.store === 'etcd').map((a) => a.name)).to.deep.equal(['server1', 'server2', 'server3']);
    // Today's agent runs without -server as a lone server (see load-config.ts), so clients are told apart by their flags.
    expect(agents().filter((a) => !a.line.argv.includes('-server')).map((a) => a.name)).to.deep.equal(['client1', 'client2']);
    // The example's programs, run from the same image with their own entrypoint; the files exist in the build.
    const programs = Object.entries(compose.services).filter(([, s]) => s.entrypoint !== undefined);
    expect(programs.map(([n]) => n)).to.deep.equal(['arithmetic1', 'arithmetic2', 'gateway']);
    for (const [name, s] of programs) {
      const [node, file] = s.entrypoint!;
      expect(node, name).to.equal('node');
      const source = file!.replace(/^\/app\//, '').replace('/dist/src/', '/src/').replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(ROOT, source)), `${name}: ${source}`).to.equal(true);
      expect(flagValues(s.command ?? [], 'registry'), name).to.deep.equal(['http://127.0.0.1:8500']);
      expect(s.network_mode, `${name} shares client1's loopback, where it registers`).to.equal('service:client1');
    }
  });

  it('every agent command line is one the agent accepts, and advertises its fixed address', () => {
    const networks = Object.keys(compose.networks ?? {});
    for (const { name, config } of agents()) {
      const nets = compose.services[name]!.networks ?? {};
      expect(Object.keys(nets), name).to.deep.equal(networks);
      expect(config.bindAddr, `${name}: -bind is its address on the network`).to.equal(nets[networks[0]!]?.ipv4_address);
      expect(config.dataDir, name).to.equal('/data');
      expect(compose.services[name]!.volumes, name).to.deep.equal([`${name}:/data`]);
    }
  });

  it('every depends_on, network_mode, network and named volume refers to something the file defines', () => {
    const names = Object.keys(compose.services);
    for (const [name, s] of Object.entries(compose.services)) {
      for (const d of dependsOn(s)) expect(names, `${name} depends on ${d}`).to.include(d);
      if (s.network_mode) expect(names, `${name}: ${s.network_mode}`).to.include(s.network_mode.replace(/^service:/, ''));
      for (const n of Object.keys(s.networks ?? {})) expect(Object.keys(compose.networks ?? {}), `${name}: network ${n}`).to.include(n);
      for (const v of s.volumes ?? []) expect(Object.keys(compose.volumes ?? {}), `${name}: volume ${v}`).to.include(v.split(':')[0]);
    }
    // Start order: servers wait for every etcd member, clients for every server.
    for (const a of agents()) {
      const wanted = a.config.store === 'etcd' ? ['etcd1', 'etcd2', 'etcd3'] : ['server1', 'server2', 'server3'];
      expect(dependsOn(compose.services[a.name]!), a.name).to.have.members(wanted);
    }
  });

  it('etcd is one static cluster whose initial-cluster names its members, and the servers use exactly those', () => {
    const members = Object.entries(compose.services).filter(([, s]) => isEtcd(s));
    const flag = (args: string[], name: string) => {
      const v = flagValues(args, name);
      expect(v, `--${name}`).to.have.length(1);
      return v[0]!;
    };
    const peers = members.map(([name, s]) => `${flag(s.command!, 'name')}=${flag(s.command!, 'initial-advertise-peer-urls')}`);
    for (const [name, s] of members) {
      expect(flag(s.command!, 'name'), `${name}: member name = service name (its DNS name)`).to.equal(name);
      expect(flag(s.command!, 'initial-advertise-peer-urls')).to.equal(`http://${name}:2380`);
      expect(flag(s.command!, 'advertise-client-urls')).to.equal(`http://${name}:2379`);
      expect(flag(s.command!, 'initial-cluster').split(','), name).to.deep.equal(peers);
      expect(flag(s.command!, 'initial-cluster-token')).to.equal('praetor-etcd');
      expect(flag(s.command!, 'initial-cluster-state')).to.equal('new');
      expect(flag(s.command!, 'max-txn-ops'), `${name}: sized for Praetor's transactions`).to.equal(ETCD_MAX_TXN_OPS);
    }
    const clientUrls = members.map(([, s]) => flag(s.command!, 'advertise-client-urls'));
    for (const a of agents().filter((x) => x.config.store === 'etcd')) expect(a.config.etcd?.endpoints, a.name).to.deep.equal(clientUrls);
  });

  it('clients -retry-join the servers at their HTTP port; servers on etcd need none', () => {
    const servers = agents().filter((a) => a.config.store === 'etcd');
    for (const a of agents()) {
      const joins = retryJoins(a.line.argv);
      if (a.config.server) {
        expect(joins, a.name).to.deep.equal([]);
        continue;
      }
      expect(joins, a.name).to.have.length(servers.length);
      for (const j of joins) {
        const [host, port] = j.split(':');
        expect(servers.map((s) => s.name), `${a.name}: ${j}`).to.include(host);
        expect(host, a.name).to.not.equal(a.name);
        expect(Number(port), `${a.name}: ${j}`).to.equal(servers.find((s) => s.name === host)!.config.ports.http);
      }
    }
  });
});
