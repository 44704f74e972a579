import { expect } from 'chai';
import { posix } from 'node:path';
import { kvKeyProblem, unprintableProblem } from './kv-key.js';

describe('KV key checks', () => {
  it('takes the keys /v1/kv/ takes as given', () => {
    for (const key of ['a', 'a/b', 'app/', 'a/.hidden', 'a..b', 'a b', 'é/ü', '日本', 'a-b_c.d', '%00']) {
      expect(kvKeyProblem(key), key).to.equal(undefined);
    }
  });

  it('refuses NUL and other unprintable characters, saying which', () => {
    expect(kvKeyProblem('a\u0000b')).to.equal('contains a NUL byte (%00)');
    expect(kvKeyProblem('a\nb')).to.equal('contains an unprintable character (%0A)');
    expect(kvKeyProblem('a\u00a0b')).to.equal('contains an unprintable character (%C2%A0)');
    expect(kvKeyProblem('a\ud800b')).to.equal('contains an unprintable character (U+D800)');
    expect(unprintableProblem('/v1/kv/a\tb')).to.equal('contains an unprintable character (%09)');
  });

  it('refuses exactly the keys whose /v1/kv/ path would be cleaned', () => {
    for (const key of ['/a', '//a', 'a//b', '.', '..', '../x', 'a/..', 'a/../b', 'a/./b', './a', 'a/.', '/']) {
      const path = `/v1/kv/${key}`;
      let clean = posix.normalize(path);
      if (path.endsWith('/') && !clean.endsWith('/')) clean += '/';
      expect(clean, key).not.to.equal(path);
      expect(kvKeyProblem(key), key).to.be.a('string');
    }
    expect(kvKeyProblem('/a')).to.equal('must not start with "/"');
    expect(kvKeyProblem('a//b')).to.equal('contains an empty path segment ("//")');
    expect(kvKeyProblem('a/../b')).to.equal('contains a "." or ".." path segment');
  });
});
