import type { K8sObject } from './k8s-schema.js';
import { podContainers, type Container } from './command-lines.js';

type Labels = Record<string, string>;
interface Port { name?: string; containerPort: number; hostPort?: number; protocol?: string }
export interface ServicePort { name?: string; port: number; targetPort?: number | string; protocol?: string }

export const named = (objects: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};

/** Workloads (StatefulSet, DaemonSet, Deployment): objects with a pod template. */
export const workloads = (objects: readonly K8sObject[]) => objects.filter((o) => podLabels(o) !== undefined);

export function podLabels(o: K8sObject): Labels | undefined {
  return (o.spec as { template?: { metadata?: { labels?: Labels } } } | undefined)?.template?.metadata?.labels;
}

/** True when every key of the selector has the same value in the labels (matchLabels semantics). */
export const selects = (selector: Labels | undefined, labels: Labels | undefined) =>
  !!selector && !!labels && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

export function containerPorts(c: Container): Port[] {
  return ((c as { ports?: Port[] }).ports ?? []);
}

/** `8500/tcp`: a container port and its protocol. */
export const portKey = (port: number, protocol = 'TCP') => `${port}/${protocol.toLowerCase()}`;

/** The container port a Service's targetPort or a probe's port means in a pod (a name or a number). */
export function resolvePort(o: K8sObject, target: number | string, protocol = 'TCP'): Port | undefined {
  const ports = podContainers(o).filter(({ init }) => !init).flatMap(({ c }) => containerPorts(c));
  return ports.find((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target) && (p.protocol ?? 'TCP') === protocol);
}

/** Every probe's port of a workload's containers, with the container it belongs to. */
export function probePorts(o: K8sObject): { container: string; port: number | string }[] {
  type Probe = { httpGet?: { port: number | string }; tcpSocket?: { port: number | string } };
  return podContainers(o).flatMap(({ c }) => {
    const probes = c as { readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe };
    return [probes.readinessProbe, probes.livenessProbe, probes.startupProbe]
      .map((p) => p?.httpGet?.port ?? p?.tcpSocket?.port)
      .filter((p): p is number | string => p !== undefined)
      .map((port) => ({ container: c.name, port }));
  });
}
