import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A Kubernetes object as read from a manifest. */
export type K8sObject = { apiVersion: string; kind: string; metadata?: { name?: string } } & Record<string, unknown>;

/** Where kubernetes-models keeps a kind: `v1/Service`, `apps/v1/StatefulSet`, `policy/v1/PodDisruptionBudget`. */
const modelPath = (o: K8sObject) => `kubernetes-models/${o.apiVersion}/${o.kind}`;
const label = (o: K8sObject) => `${o.kind} ${o.metadata?.name ?? '(no name)'}`;

/**
 * Checks Kubernetes objects against the Kubernetes API schemas, as shipped by the
 * `kubernetes-models` npm package (generated from the API's OpenAPI document), in two passes:
 *
 * 1. The package's own `validate()`: types, formats (int32), enums and required fields. It lets
 *    unknown fields through (the API server drops them silently; `kubectl apply` refuses them).
 * 2. So that a misspelled field fails too, each object is type-checked by the TypeScript compiler
 *    as an object literal of the package's interface for its kind (`IStatefulSet`, ...):
 *    excess-property checking rejects a field the schema does not declare, at any depth.
 *
 * Returns one message per problem (empty when every object is valid). A kind the package does
 * not know is a problem too.
 */
export async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  const known: K8sObject[] = [];
  for (const o of objects) {
    let model: Record<string, new (data: unknown) => { validate(): void }>;
    try {
      model = await import(modelPath(o));
    } catch {
      problems.push(`${label(o)}: no schema for apiVersion ${JSON.stringify(o.apiVersion)} kind ${JSON.stringify(o.kind)}`);
      continue;
    }
    known.push(o);
    try {
      new model[o.kind]!(o).validate();
    } catch (err) {
      problems.push(`${label(o)}: ${(err as Error).message}`);
    }
  }
  problems.push(...unknownFieldProblems(known));
  return problems;
}

/** Pass 2: one in-memory TypeScript program with one file per object. */
function unknownFieldProblems(objects: readonly K8sObject[]): string[] {
  // The virtual files sit beside this one so that `kubernetes-models` resolves from here.
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const files = new Map(objects.map((o, i) => [
    path.join(dir, `manifest-${i}.check.ts`),
    `import type { I${o.kind} } from '${modelPath(o)}';\nexport const object: I${o.kind} = ${JSON.stringify(o, null, 2)};\n`,
  ]));
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const problems: string[] = [];
  [...files.keys()].forEach((f, i) => {
    for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(f))) {
      problems.push(`${label(objects[i]!)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  });
  return problems;
}
