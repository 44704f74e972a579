import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-schema.js';

/** The repository root, from dist/test/deploy/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const DEPLOY = path.join(ROOT, 'deploy');
const K8S = path.join(DEPLOY, 'kubernetes');

/** What the README asks of an etcd that Praetor uses (and dev-cluster/etcd-cluster.ts starts): a write is one transaction. */
export const ETCD_MAX_TXN_OPS = '10000';

function parseYaml(file: string): unknown {
  // merge: compose.yaml shares settings through `<<: *anchor` (YAML 1.1 merge keys, as Compose reads them).
  return parse(fs.readFileSync(file, 'utf8'), { merge: true, prettyErrors: true });
}

/** deploy/kubernetes/kustomization.yaml. */
export function kustomization(): { resources: string[]; images?: { name: string }[] } {
  return parseYaml(path.join(K8S, 'kustomization.yaml')) as { resources: string[] };
}

/** The *.yaml files of deploy/kubernetes other than the kustomization. */
export function manifestFiles(): string[] {
  return fs.readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml').sort();
}

/** Every object of the kustomization's resources, in order; a YAML error throws with the file named. */
export function kubernetesObjects(): K8sObject[] {
  return kustomization().resources.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(K8S, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  }));
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  entrypoint?: string[];
  command?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  network_mode?: string;
  networks?: Record<string, { ipv4_address?: string } | null>;
  ports?: string[];
  volumes?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

export function composeFile(): ComposeFile {
  return parseYaml(path.join(DEPLOY, 'compose.yaml')) as ComposeFile;
}

/** deploy/Dockerfile as instructions (continuation lines joined, comments dropped). */
export function dockerfile(): { op: string; args: string }[] {
  const text = fs.readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
}
