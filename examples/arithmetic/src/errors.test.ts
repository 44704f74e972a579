import { expect } from 'chai';
import fs from 'node:fs';
import { ERROR_CODES } from './errors.js';
import { STATUS_BY_CODE } from './http-router.js';

describe('error codes', () => {
  // dist/src/errors.test.js → the package's README.md
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  for (const code of ERROR_CODES) {
    it(`${code} is documented in README.md with its status`, () => {
      expect(readme).to.include(`| \`${code}\` | ${STATUS_BY_CODE[code]} |`);
    });
  }
});
