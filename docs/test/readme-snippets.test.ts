import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { startTestAgent, type TestAgent } from '@praetor/sdk';
import { codeBlocks, freePort, type CodeBlock } from '@praetor/test-support';
import { MARKDOWN_FILES, root } from './markdown-files.js';

/**
 * Every code block of the READMEs users read runs here (issue 12, item 2). A block is tagged in
 * its info string: `ts doctest` / `js doctest` runs as an ES module with Node, `sh doctest` runs
 * with bash; `text` is a diagram or an output, and `sh by-hand` a transcript of long-running
 * commands for a person at a terminal (several terminals, Ctrl-C). Any other block fails the
 * suite: nothing is left untested by accident. Each runnable block gets a fresh `praetor agent
 * -dev` ($PRAETOR_HTTP_ADDR) and a free port ($PORT), and must exit 0 within a minute.
 */
const files = MARKDOWN_FILES;
const scratch = path.join(root, 'docs', '.doctest');

function isRunnable(b: CodeBlock): boolean {
  return b.tags.includes('doctest') && ['ts', 'js', 'sh'].includes(b.lang);
}

function isExempt(b: CodeBlock): boolean {
  return b.lang === 'text' || (b.lang === 'sh' && b.tags.includes('by-hand'));
}

function run(block: CodeBlock, file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  fs.mkdirSync(scratch, { recursive: true });
  const name = `${file.replace(/[^a-z0-9]+/gi, '-')}-${block.line}`;
  let cmd: string[];
  if (block.lang === 'sh') {
    cmd = ['bash', '-euo', 'pipefail', '-c', block.code];
  } else {
    const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const script = path.join(scratch, `${name}.mjs`);
    fs.writeFileSync(script, js);
    cmd = [process.execPath, script];
  }
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('README snippets run (issue 12)', function () {
  this.timeout(90_000);
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  for (const file of files) {
    const blocks = codeBlocks(fs.readFileSync(path.join(root, file), 'utf8'));
    it(`${file}: every code block is runnable, a diagram or output (text), or a by-hand transcript (sh by-hand)`, () => {
      const untagged = blocks.filter((b) => !isRunnable(b) && !isExempt(b)).map((b) => `line ${b.line}: \`\`\`${[b.lang, ...b.tags].join(' ')}`);
      expect(untagged).to.deep.equal([]);
    });
    for (const block of blocks.filter(isRunnable)) {
      it(`${file}:${block.line} runs (${block.lang})`, async () => {
        let agent: TestAgent | undefined;
        try {
          agent = await startTestAgent();
          const res = await run(block, file, { PRAETOR_HTTP_ADDR: agent.url, PORT: String(await freePort()) });
          expect(res.code, res.out).to.equal(0);
        } finally {
          await agent?.stop();
        }
      });
    }
  }
});
