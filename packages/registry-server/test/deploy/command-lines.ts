import type { K8sObject } from './k8s-schema.js';
import type { ComposeFile } from './deploy-files.js';

/** One container's `praetor` arguments and where they come from. */
export interface CommandLine {
  where: string;
  argv: string[];
}

/** The image deploy/Dockerfile builds, whatever its tag (praetor:latest, praetor:local). */
export const isPraetorImage = (image: unknown) => typeof image === 'string' && /^praetor(:|$)/.test(image);

/** Sample values of the downward API fields the manifests use; the parser needs real-looking values. */
const FIELD_SAMPLES: Record<string, string> = {
  'metadata.name': 'pod-0',
  'spec.nodeName': 'node-1',
  'status.podIP': '192.0.2.10', // TEST-NET-1: a documentation address, never contacted
  'status.hostIP': '192.0.2.20',
};

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
}

/** Every container of a workload's pod template (init containers included). */
export function podContainers(o: K8sObject): { init: boolean; c: Container }[] {
  const spec = (o.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined)?.template?.spec;
  return [...(spec?.initContainers ?? []).map((c) => ({ init: true, c })), ...(spec?.containers ?? []).map((c) => ({ init: false, c }))];
}

/**
 * Expands `$(VAR)` as the kubelet does, from the container's env: literal values, and
 * downward-API fields from `fields` (the samples above unless given). A reference to a variable the container does not define would
 * reach the program as literal text, so it throws.
 */
export function expandK8sVars(args: readonly string[], c: Container, fields: Record<string, string> = FIELD_SAMPLES): string[] {
  const env = new Map<string, string>();
  for (const e of c.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (e.value !== undefined) env.set(e.name, e.value);
    else if (field !== undefined && fields[field] !== undefined) env.set(e.name, fields[field]);
    else throw new Error(`container ${c.name}: env ${e.name} comes from a source this test has no sample for`);
  }
  return args.map((a) => a.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = env.get(name!);
    if (v === undefined) throw new Error(`container ${c.name}: $(${name}) is not defined in its env`);
    return v;
  }));
}

/** Containers of the Praetor image that run the image's ENTRYPOINT (`praetor`) with their args. */
export function kubernetesCommandLines(objects: readonly K8sObject[]): CommandLine[] {
  return objects.flatMap((o) => podContainers(o)
    .filter(({ c }) => isPraetorImage(c.image) && c.command === undefined)
    .map(({ c }) => ({ where: `${o.kind} ${o.metadata?.name} container ${c.name}`, argv: expandK8sVars(c.args ?? [], c) })));
}

/** Compose services of the Praetor image that keep its ENTRYPOINT; `command` must be a list. */
export function composeCommandLines(compose: ComposeFile): CommandLine[] {
  return Object.entries(compose.services)
    .filter(([, s]) => isPraetorImage(s.image) && s.entrypoint === undefined)
    .map(([name, s]) => {
      if (!Array.isArray(s.command)) throw new Error(`compose service ${name}: command must be a list (exec form), not ${JSON.stringify(s.command)}`);
      return { where: `compose service ${name}`, argv: s.command.map(String) };
    });
}

/** Dockerfile ENTRYPOINT and CMD, both in exec (JSON) form. */
export function dockerCommandLine(instructions: readonly { op: string; args: string }[]): { entrypoint: string[]; cmd: string[] } {
  const last = (op: string) => {
    const all = instructions.filter((i) => i.op === op);
    if (all.length === 0) throw new Error(`the Dockerfile has no ${op}`);
    return JSON.parse(all[all.length - 1]!.args) as string[];
  };
  return { entrypoint: last('ENTRYPOINT'), cmd: last('CMD') };
}
