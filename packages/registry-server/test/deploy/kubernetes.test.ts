import { expect } from 'chai';
import { expandK8sVars, isPraetorImage, kubernetesCommandLines, podContainers } from './command-lines.js';
import { agentConfig, flagValues, retryJoins } from './agent-command.js';
import { ETCD_MAX_TXN_OPS, kubernetesObjects, kustomization, manifestFiles } from './deploy-files.js';
import { named, podLabels, selects, workloads } from './k8s-objects.js';
import { schemaProblems, type K8sObject } from './k8s-schema.js';

// deploy/kubernetes (issue 10, Deployment): schema-valid objects, valid `praetor agent` command
// lines, and names that point at what exists.
describe('deploy/kubernetes manifests (issue 10)', function () {
  this.timeout(120_000); // the schema check type-checks every object with the TypeScript compiler
  let objects: K8sObject[];
  before(() => {
    objects = kubernetesObjects();
  });
  const copy = (o: K8sObject) => structuredClone(o) as K8sObject & { spec: any };

  it('kustomization.yaml lists every manifest of the folder, once', () => {
    expect([...kustomization().resources].sort()).to.deep.equal(manifestFiles());
    expect(kustomization().images?.map((i) => i.name)).to.deep.equal(['praetor']);
  });

  it('every object is valid against the Kubernetes schemas (kubernetes-models), unknown fields included', async () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).to.include.members([
      'StatefulSet/etcd', 'Service/etcd', 'StatefulSet/praetor-server', 'Service/praetor-server', 'PodDisruptionBudget/praetor-server',
      'DaemonSet/praetor-client', 'Service/praetor', 'Service/praetor-ui',
    ]);
    expect((await schemaProblems(objects)).join('\n')).to.equal('');
  });

  it('the schema check rejects a misspelled field, a wrong type, a missing required field and an unknown kind', async () => {
    const servers = named(objects, 'StatefulSet', 'praetor-server');
    const misspelled = copy(servers);
    misspelled.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    const wrongType = copy(servers);
    wrongType.spec.template.spec.containers[0].ports[0].containerPort = '8500';
    const missing = copy(servers);
    delete missing.spec.selector;
    const unknownKind = { ...copy(servers), kind: 'StatefulSett' };
    const problems = await Promise.all([misspelled, wrongType, missing, unknownKind].map((o) => schemaProblems([o])));
    expect(problems[0]!.join('\n')).to.match(/imagePullPolicyy/);
    expect(problems[1]!.join('\n')).to.match(/containerPort/);
    expect(problems[2]!.join('\n')).to.match(/selector/);
    expect(problems[3]!.join('\n')).to.match(/no schema for .*StatefulSett/);
  });

  it('every Praetor container runs a `praetor agent` command line the agent accepts', () => {
    const lines = kubernetesCommandLines(objects);
    expect(lines.map((l) => l.where)).to.have.members([
      'StatefulSet praetor-server container praetor', 'DaemonSet praetor-client container praetor',
    ]);
    for (const line of lines) agentConfig(line); // throws with the container named
    const servers = agentConfig(lines[0]!);
    expect([servers.server, servers.store]).to.deep.equal([true, 'etcd']);
    const client = lines[1]!;
    expect(agentConfig(client).bindAddr).to.equal('192.0.2.20'); // $(HOST_IP), the downward API's status.hostIP
    // Their readiness is the image's health check (deploy/healthcheck.mjs, copied to /app/deploy/).
    for (const o of objects) {
      for (const { init, c } of podContainers(o).filter(({ c }) => isPraetorImage(c.image))) {
        if (init) continue;
        const probe = (c as { readinessProbe?: { exec?: { command: string[] } } }).readinessProbe;
        expect(probe?.exec?.command, `${o.kind} ${o.metadata?.name} readiness`).to.deep.equal(['node', '/app/deploy/healthcheck.mjs']);
      }
    }
    // Only the init container that hands the hostPath to the agent's user runs something else.
    const others = objects.flatMap((o) => podContainers(o)).filter(({ c }) => isPraetorImage(c.image) && c.command !== undefined);
    expect(others.map(({ init, c }) => [init, c.command![0]])).to.deep.equal([[true, 'chown']]);
  });

  it('the command-line check rejects an unknown flag, a bad value, a rule across flags and an undefined $(VAR)', () => {
    const where = 'test';
    expect(() => agentConfig({ where, argv: ['agent', '-data-dir=/data', '-retry-joinn=x:8500'] })).to.throw(/flag provided but not defined: -retry-joinn/);
    expect(() => agentConfig({ where, argv: ['agent', '-data-dir=/data', '-bind=host-ip'] })).to.throw(/invalid value "host-ip" for flag -bind/);
    expect(() => agentConfig({ where, argv: ['agent', '-data-dir=/data', '-store=etcd', '-etcd-endpoints=http://etcd:2379'] })).to.throw(/requires 'server = true'/);
    expect(() => agentConfig({ where, argv: ['agent', '-data-dir=/data', '-advertise=192.0.2.1'] })).to.throw(/ignoring Consul agent flags/);
    expect(() => expandK8sVars(['-bind=$(HOST_IP)'], { name: 'c', env: [] })).to.throw(/\$\(HOST_IP\) is not defined/);
  });

  it('each StatefulSet has its headless Service, and every Service and PodDisruptionBudget selects pods', () => {
    for (const set of objects.filter((o) => o.kind === 'StatefulSet')) {
      const svc = named(objects, 'Service', (set.spec as { serviceName: string }).serviceName);
      expect((svc.spec as { clusterIP?: string }).clusterIP, `${svc.metadata?.name}`).to.equal('None');
      expect(selects((svc.spec as { selector: Record<string, string> }).selector, podLabels(set)), `${svc.metadata?.name} selects ${set.metadata?.name}`).to.equal(true);
    }
    for (const o of objects.filter((x) => x.kind === 'Service' || x.kind === 'PodDisruptionBudget')) {
      const spec = o.spec as { selector: Record<string, string> & { matchLabels?: Record<string, string> } };
      const selector = o.kind === 'Service' ? spec.selector : spec.selector.matchLabels;
      expect(workloads(objects).filter((w) => selects(selector, podLabels(w))), `${o.kind} ${o.metadata?.name}`).to.not.be.empty;
    }
    for (const w of workloads(objects)) {
      const spec = w.spec as { selector: { matchLabels: Record<string, string> } };
      expect(selects(spec.selector.matchLabels, podLabels(w)), `${w.kind} ${w.metadata?.name} selects its own pods`).to.equal(true);
    }
    const pdb = named(objects, 'PodDisruptionBudget', 'praetor-server');
    expect((pdb.spec as { maxUnavailable: number }).maxUnavailable).to.equal(1);
    expect(selects((pdb.spec as any).selector.matchLabels, podLabels(named(objects, 'DaemonSet', 'praetor-client')))).to.equal(false);
  });

  it('etcd is one static cluster of its pods, which the servers use; clients -retry-join the server pods', () => {
    const pods = (set: K8sObject) => {
      const spec = set.spec as { replicas: number; serviceName: string };
      return Array.from({ length: spec.replicas }, (_, i) => ({ name: `${set.metadata!.name}-${i}`, host: `${set.metadata!.name}-${i}.${spec.serviceName}` }));
    };
    const etcd = named(objects, 'StatefulSet', 'etcd');
    const members = pods(etcd);
    expect(members).to.have.length(3);
    const etcdContainer = podContainers(etcd)[0]!.c;
    const expected = members.map((m) => `${m.name}=http://${m.host}:2380`).join(',');
    for (const m of members) {
      const args = expandK8sVars(etcdContainer.args ?? [], etcdContainer, { 'metadata.name': m.name });
      expect(flagValues(args, 'name')).to.deep.equal([m.name]);
      expect(flagValues(args, 'initial-cluster')).to.deep.equal([expected]);
      expect(flagValues(args, 'initial-advertise-peer-urls')).to.deep.equal([`http://${m.host}:2380`]);
      expect(flagValues(args, 'advertise-client-urls')).to.deep.equal([`http://${m.host}:2379`]);
      expect(flagValues(args, 'max-txn-ops')).to.deep.equal([ETCD_MAX_TXN_OPS]);
    }

    const [serverLine, clientLine] = kubernetesCommandLines(objects);
    expect(agentConfig(serverLine!).etcd?.endpoints).to.deep.equal(members.map((m) => `http://${m.host}:2379`));
    const servers = pods(named(objects, 'StatefulSet', 'praetor-server'));
    expect(servers).to.have.length(3);
    expect(retryJoins(clientLine!.argv)).to.deep.equal(servers.map((s) => `${s.host}:8500`));
    // Servers on etcd find each other there: a -retry-join of theirs would be ignored (with a WARN).
    expect(retryJoins(serverLine!.argv)).to.deep.equal([]);
  });
});
