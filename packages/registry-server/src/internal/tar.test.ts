import { expect } from 'chai';
import { packTar, readTar, unpackTar } from './tar.js';

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

  it('streams files out of an archive cut into chunks of any size, and refuses a cut-short one', async () => {
    const files = [0, 1, 511, 512, 513, 2000].map((n, i) => ({ name: `f${i}.bin`, data: Buffer.alloc(n, i + 1) }));
    const tar = packTar(files, 0);
    for (const step of [1, 7, 512, 1000, tar.length]) {
      const chunks = async function* (buf: Buffer) {
        for (let off = 0; off < buf.length; off += step) yield buf.subarray(off, off + step);
      };
      const got = new Map<string, Buffer[]>();
      await readTar(chunks(tar), (name) => {
        got.set(name, []);
        return name === 'f3.bin' ? null : (c) => void got.get(name)!.push(Buffer.from(c));
      });
      expect([...got.keys()]).to.deep.equal(files.map((f) => f.name));
      for (const f of files) if (f.name !== 'f3.bin') expect(Buffer.concat(got.get(f.name)!), `${f.name} by ${step}`).to.deep.equal(f.data);
      const err = await readTar(chunks(tar.subarray(0, 1500)), () => null).catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error).with.property('message', 'unexpected EOF');
    }
  });
});
