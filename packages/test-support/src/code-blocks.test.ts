import { expect } from 'chai';
import { codeBlocks } from './code-blocks.js';

describe('codeBlocks', () => {
  it('finds fenced blocks with their language, tags and line', () => {
    const md = ['# T', '```ts doctest', 'const a = 1;', '```', 'text', '````sh by-hand', '```', 'inner', '````', '~~~', 'plain', '~~~'].join('\n');
    expect(codeBlocks(md)).to.deep.equal([
      { lang: 'ts', tags: ['doctest'], code: 'const a = 1;', line: 2 },
      { lang: 'sh', tags: ['by-hand'], code: '```\ninner', line: 6 },
      { lang: '', tags: [], code: 'plain', line: 10 },
    ]);
  });
});
