import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GrpcMismatchError, registerPraetorResolver, UnsupportedGrpcError } from '../../src/grpc/index.js';

const require = createRequire(import.meta.url);
const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The version of a package as installed. */
const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

/**
 * Issue 12, item 3: @grpc/grpc-js is the app's (a peer dependency), the resolver is registered
 * into the copy handed over, and a copy other than the app's fails loudly. Two grpc-js versions
 * are installed for this: the app's (@grpc/grpc-js) and a fixture alias (grpc-js-1-14-0).
 */
describe('issue 12: grpc-js as a peer, two copies installed', () => {
  it('the fixture really is a second, different copy', () => {
    expect(version('grpc-js-1-14-0')).to.equal('1.14.0');
    expect(version('@grpc/grpc-js')).to.not.equal('1.14.0');
  });

  it("registering into a copy other than the app's throws GrpcMismatchError, naming the app's copy", async () => {
    const other = (await import('grpc-js-1-14-0')) as unknown as typeof grpc;
    const err = (() => {
      try {
        registerPraetorResolver(other);
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).to.be.instanceOf(GrpcMismatchError);
    expect(err!.message).to.contain(version('@grpc/grpc-js')).and.to.contain('would try DNS');
  });

  it("the app's own copy registers; the other copy never learns the praetor scheme (why two copies fail)", async () => {
    const other = (await import('grpc-js-1-14-0')) as unknown as typeof grpc;
    registerPraetorResolver(grpc);
    const uri = { scheme: 'praetor', authority: '', path: 'hello' };
    const resolver = grpc.experimental.createResolver(uri, (() => true) as never, {});
    try {
      expect(resolver.constructor.name).to.equal('PraetorResolver');
    } finally {
      resolver.destroy();
    }
    expect(() => other.experimental.createResolver(uri, (() => true) as never, {})).to.throw();
  });

  it('says what to pass when called the old way, and refuses a grpc-js before 1.14', () => {
    expect(() => registerPraetorResolver({ logger: undefined } as never)).to.throw(TypeError, /pass your own @grpc\/grpc-js module/);
    const old = { status: grpc.status, experimental: { registerResolver: () => {} } };
    expect(() => registerPraetorResolver(old as never)).to.throw(UnsupportedGrpcError, />=1\.14\.0 <1\.15\.0/);
  });

  it('importing @praetor/sdk does not load @grpc/grpc-js', async () => {
    const script = `
      import { createRequire } from 'node:module';
      await import('@praetor/sdk');
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('grpc-js'));
      console.log(JSON.stringify(loaded));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect({ code, out: out.trim() }).to.deep.equal({ code: 0, out: '[]' });
  });
});
