import { expect } from 'chai';
import { composeCommandLines, dockerCommandLine, isPraetorImage, kubernetesCommandLines, podContainers } from './command-lines.js';
import { agentConfig } from './agent-command.js';
import { composeFile, dockerfile, kubernetesObjects } from './deploy-files.js';
import { containerPorts, named, podLabels, portKey, probePorts, resolvePort, selects, workloads, type ServicePort } from './k8s-objects.js';

/** The agent's ports (defaults of load-config.ts): HTTP API and UI, DNS on UDP and TCP, server RPC. */
const AGENT_PORTS = { http: 8500, dns: 8600, server: 8300 };
const EXPOSED = ['8300/tcp', '8500/tcp', '8600/tcp', '8600/udp'];
/** The port names the manifests use for them. */
const NAMED = { http: '8500/tcp', 'dns-tcp': '8600/tcp', 'dns-udp': '8600/udp', server: '8300/tcp' } as Record<string, string>;

// Issue 10, Deployment: the image, compose and Kubernetes agree on the agent's ports.
describe('deploy/: the agent ports agree across the Dockerfile, compose and Kubernetes (issue 10)', () => {
  const objects = kubernetesObjects();
  const compose = composeFile();

  it('the Dockerfile EXPOSEs HTTP 8500, DNS 8600 on UDP and TCP, and server 8300', () => {
    const exposed = dockerfile().filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map((p) => (p.includes('/') ? p : `${p}/tcp`));
    expect(exposed.sort()).to.deep.equal(EXPOSED);
  });

  it('every agent (image default, compose, Kubernetes) listens on those ports', () => {
    const lines = [
      { where: 'Dockerfile CMD', argv: dockerCommandLine(dockerfile()).cmd },
      ...composeCommandLines(compose),
      ...kubernetesCommandLines(objects),
    ];
    expect(lines).to.have.length(1 + 5 + 2);
    for (const line of lines) {
      const { http, dns, server } = agentConfig(line).ports;
      expect({ http, dns, server }, line.where).to.deep.equal(AGENT_PORTS);
    }
  });

  it('Kubernetes: Praetor containers declare exactly those ports, by name; host ports, Services and probes point at them', () => {
    const praetorPorts = objects.flatMap((o) => podContainers(o)).filter(({ init, c }) => !init && isPraetorImage(c.image)).flatMap(({ c }) => containerPorts(c));
    expect([...new Set(praetorPorts.map((p) => portKey(p.containerPort, p.protocol)))].sort()).to.deep.equal(EXPOSED);
    for (const p of praetorPorts) {
      expect(portKey(p.containerPort, p.protocol), `port ${p.name}`).to.equal(NAMED[p.name!]);
      if (p.hostPort !== undefined) expect(p.hostPort, `hostPort of ${p.name}`).to.equal(p.containerPort);
    }
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const spec = svc.spec as { selector: Record<string, string>; ports: ServicePort[] };
      const pods = workloads(objects).filter((w) => selects(spec.selector, podLabels(w)));
      for (const w of pods) {
        for (const p of spec.ports) {
          const target = resolvePort(w, p.targetPort ?? p.port, p.protocol);
          expect(target, `Service ${svc.metadata?.name} port ${p.name} → ${w.kind} ${w.metadata?.name}`).to.not.equal(undefined);
        }
      }
    }
    for (const w of workloads(objects)) {
      for (const { container, port } of probePorts(w)) expect(resolvePort(w, port), `${w.kind} ${w.metadata?.name} ${container} probe port ${port}`).to.not.equal(undefined);
    }
  });

  it('compose publishes the same agent ports that the client DaemonSet opens on each node', () => {
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []).map((spec) => {
      const [addr, proto = 'tcp'] = spec.split('/');
      const parts = addr!.split(':');
      const container = Number(parts.at(-1));
      expect(Number(parts.at(-2)), `${spec}: same port on the host`).to.equal(container);
      return portKey(container, proto);
    });
    const daemonSet = named(objects, 'DaemonSet', 'praetor-client');
    const hostPorts = podContainers(daemonSet).flatMap(({ c }) => containerPorts(c)).filter((p) => p.hostPort !== undefined).map((p) => portKey(p.hostPort!, p.protocol));
    expect(published.sort()).to.deep.equal(hostPorts.sort());
    expect(published.sort()).to.deep.equal(['8500/tcp', '8600/tcp', '8600/udp']);
  });
});
