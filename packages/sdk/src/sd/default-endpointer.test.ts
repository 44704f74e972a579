import { expect } from 'chai';
import winston from 'winston';
import { DefaultEndpointer } from './default-endpointer.js';
import { instance } from './instance.js';
import { FixedInstancer } from './instancer.js';

const tick = () => new Promise((r) => setImmediate(r));
const log = winston.createLogger({ silent: true });

describe('DefaultEndpointer', () => {
  it('makes endpoints for new instances only, keeps the rest and closes those that left', async () => {
    const made: string[] = [];
    const closed: string[] = [];
    const inst = new FixedInstancer([instance('10.0.0.1:80'), instance('10.0.0.2:80')]);
    const ep = new DefaultEndpointer(inst, (i) => (made.push(i.key), { endpoint: i.key, close: () => void closed.push(i.key) }), log);
    await tick();
    expect(ep.endpoints()).to.deep.equal(['10.0.0.1:80', '10.0.0.2:80']);
    inst.set([instance('10.0.0.2:80'), instance('10.0.0.3:80')]);
    await tick();
    expect(ep.endpoints()).to.deep.equal(['10.0.0.2:80', '10.0.0.3:80']);
    expect(made).to.deep.equal(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80']);
    expect(closed).to.deep.equal(['10.0.0.1:80']);
    ep.close();
    expect(closed.sort()).to.deep.equal(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80']);
  });

  it('skips an instance whose factory throws', async () => {
    const inst = new FixedInstancer([instance('10.0.0.1:80'), instance('10.0.0.2:80')]);
    const ep = new DefaultEndpointer(inst, (i) => {
      if (i.key === '10.0.0.1:80') throw new Error('bad');
      return { endpoint: i.key };
    }, log);
    await tick();
    expect(ep.endpoints()).to.deep.equal(['10.0.0.2:80']);
  });

  it('keeps the last endpoints on error, or invalidates them after the timeout when asked', async () => {
    let now = 0;
    const inst = new FixedInstancer([instance('10.0.0.1:80')]);
    const keep = new DefaultEndpointer(inst, (i) => ({ endpoint: i.key }), log);
    const strict = new DefaultEndpointer(inst, (i) => ({ endpoint: i.key }), log, { invalidateOnError: 1000, now: () => now });
    await tick();
    inst.set([instance('10.0.0.1:80')], new Error('registry down'));
    await tick();
    expect(keep.endpoints()).to.deep.equal(['10.0.0.1:80']);
    expect(strict.endpoints()).to.deep.equal(['10.0.0.1:80']);
    now = 1500;
    expect(() => strict.endpoints()).to.throw('registry down');
    expect(keep.endpoints()).to.deep.equal(['10.0.0.1:80']);
  });
});
