import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTempFiles, writeFileDurably } from './durable-file.js';

describe('durable files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-durable-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces a file whole and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'members.json');
    fs.writeFileSync(file, '["old"]');
    await writeFileDurably(file, '["new"]');
    expect(fs.readFileSync(file, 'utf8')).to.equal('["new"]');
    expect(fs.readdirSync(dir)).to.deep.equal(['members.json']);
  });

  it('removes the half-written copies a crash left, keeping the files they were replacing', async () => {
    fs.writeFileSync(path.join(dir, 'members.json'), '["old"]');
    fs.writeFileSync(path.join(dir, 'members.json.tmp'), '["ne');
    fs.writeFileSync(path.join(dir, 'node-id.tmp'), '');
    expect((await removeTempFiles(dir)).sort()).to.deep.equal(['members.json.tmp', 'node-id.tmp']);
    expect(fs.readdirSync(dir)).to.deep.equal(['members.json']);
    expect(fs.readFileSync(path.join(dir, 'members.json'), 'utf8')).to.equal('["old"]');
  });
});
