import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { podContainers } from './command-lines.js';
import { composeFile, kubernetesObjects } from './deploy-files.js';

/** The flags the real etcd 3.4 binary lists in its help (installed for the tests by scripts/system-deps.cjs). */
function etcdFlags(): Set<string> {
  const help = spawnSync('etcd', ['--help'], { encoding: 'utf8' });
  if (help.error) throw new Error(`cannot run etcd --help: ${help.error.message} (scripts/system-deps.cjs installs etcd-server)`);
  return new Set([...`${help.stdout}${help.stderr}`.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]!));
}

// Issue 10, Deployment: compose and Kubernetes start etcd with flags that etcd 3.4 knows.
describe('deploy/: etcd command lines (issue 10)', () => {
  it('every etcd flag in compose.yaml and the Kubernetes manifests is one the etcd 3.4 binary knows', () => {
    const known = etcdFlags();
    expect(known.size).to.be.greaterThan(50);
    const compose = Object.entries(composeFile().services).filter(([, s]) => /etcd:v3\.4\./.test(s.image ?? '')).map(([name, s]) => ({ where: `compose ${name}`, args: s.command!.slice(1) }));
    const k8s = kubernetesObjects().flatMap((o) => podContainers(o)).filter(({ c }) => /etcd:v3\.4\./.test(c.image ?? '')).map(({ c }) => ({ where: `Kubernetes ${c.name}`, args: c.args ?? [] }));
    expect(compose).to.have.length(3);
    expect(k8s).to.have.length(1);
    for (const { where, args } of [...compose, ...k8s]) {
      for (const a of args) {
        const m = /^--([a-z0-9-]+)=./.exec(a);
        expect(m, `${where}: ${a} (each flag as --name=value)`).to.not.equal(null);
        expect([...known], `${where}: ${a}`).to.include(m![1]);
      }
    }
  });
});
