import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MARKDOWN_FILES, root } from './markdown-files.js';

const ENTRIES = ['packages/sdk/src/index.ts', 'packages/sdk/src/grpc/index.ts', 'packages/sd-loadbalancer/src/index.ts', 'packages/test-support/src/index.ts'];

/** Every property of every exported `...Options` type, and whether it has a doc comment. */
function undocumentedOptions(): string[] {
  const program = ts.createProgram(
    ENTRIES.map((e) => path.join(root, e)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(path.join(root, entry))!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!/Options$/.test(symbol.name)) continue;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      for (const prop of checker.getPropertiesOfType(type)) {
        const docs = ts.displayPartsToString(prop.getDocumentationComment(checker)).trim();
        if (!docs) missing.add(`${symbol.name}.${prop.name}`);
      }
    }
  }
  return [...missing].sort();
}

/** Markdown links of a file that leave the repository or point at nothing. */
function badLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1];
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const resolved = path.resolve(path.dirname(path.join(root, file)), target.split('#')[0]);
    if (!resolved.startsWith(root + path.sep)) out.push(`${target} (outside the repository)`);
    else if (!fs.existsSync(resolved)) out.push(`${target} (no such file)`);
  }
  return out;
}

/** Issue 12, item 10: documented options, and docs that stay inside the repository. */
describe('issue 12: the API is documented', function () {
  this.timeout(120_000);

  it('every option of every exported ...Options type has a TSDoc comment', () => {
    expect(undocumentedOptions()).to.deep.equal([]);
  });

  it('the API reference builds (npm run docs) without a warning: nothing public refers to something undocumented', async () => {
    const typedoc = path.join(root, 'node_modules', '.bin', 'typedoc');
    const res = await new Promise<{ code: number | null; out: string }>((resolve) =>
      execFile(typedoc, ['--options', 'docs/typedoc.json', '--emit', 'none', '--treatWarningsAsErrors'], { cwd: root }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    expect(res.code, res.out).to.equal(0);
  });

  const markdown = MARKDOWN_FILES;
  for (const file of markdown) {
    it(`${file}: every relative link stays in the repository and leads to a file`, () => {
      expect(badLinks(file)).to.deep.equal([]);
    });
  }
});
