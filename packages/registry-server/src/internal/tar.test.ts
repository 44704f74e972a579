import { expect } from 'chai';
import { packTar, unpackTar } from './tar.js';

describe('tar', () => {
  it('round-trips files of every size around a block boundary', () => {
    const files = [0, 1, 511, 512, 513, 2000].map((n, i) => ({ name: `f${i}.bin`, data: Buffer.alloc(n, i + 1) }));
    const tar = packTar(files, 1_700_000_000_000);
    expect(tar.length % 512).to.equal(0);
    const back = unpackTar(tar);
    expect([...back.keys()]).to.deep.equal(files.map((f) => f.name));
    for (const f of files) expect(back.get(f.name)).to.deep.equal(f.data);
  });

  it('writes ustar headers other tools read: magic, octal size, checksum', () => {
    const tar = packTar([{ name: 'meta.json', data: Buffer.from('{}') }], 0);
    expect(tar.subarray(257, 263).toString('latin1')).to.equal('ustar\0');
    expect(tar.subarray(124, 135).toString('latin1')).to.equal('00000000002');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tar[i]!;
    expect(parseInt(tar.subarray(148, 154).toString('latin1'), 8)).to.equal(sum);
  });

  it('refuses a truncated archive and a damaged header', () => {
    const tar = packTar([{ name: 'a', data: Buffer.alloc(1000, 7) }]);
    expect(() => unpackTar(tar.subarray(0, 700))).to.throw('unexpected EOF');
    expect(() => unpackTar(Buffer.from('hello\n'))).to.throw('unexpected EOF');
    const damaged = Buffer.from(tar);
    damaged[3] = 0x41;
    expect(() => unpackTar(damaged)).to.throw(/invalid tar header at byte 0/);
  });
});
