import { expect } from 'chai';
import type { InstancerEvent } from '../event.js';
import { instance } from '../instance.js';
import { InstanceCache } from './instance-cache.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('InstanceCache', () => {
  it('sends the current state to a new listener, never synchronously', async () => {
    const c = new InstanceCache();
    c.update({ instances: [instance('10.0.0.2:80'), instance('10.0.0.1:80')] });
    const got: InstancerEvent[] = [];
    c.register((e) => got.push(e));
    expect(got).to.deep.equal([]);
    await tick();
    expect(got.map((e) => e.instances.map((i) => i.key))).to.deep.equal([['10.0.0.1:80', '10.0.0.2:80']]);
  });

  it('drops duplicates and gives each listener its own copy', async () => {
    const c = new InstanceCache();
    const a: InstancerEvent[] = [];
    const b: InstancerEvent[] = [];
    c.register((e) => a.push(e));
    c.register((e) => b.push(e));
    c.update({ instances: [instance('10.0.0.1:80')] });
    c.update({ instances: [instance('10.0.0.1:80')] });
    await tick();
    expect(a.length).to.equal(1);
    a[0].instances[0].tags.push('mutated');
    expect(b[0].instances[0].tags).to.deep.equal([]);
  });

  it('publishes an error with the last good set', async () => {
    const c = new InstanceCache();
    const got: InstancerEvent[] = [];
    c.register((e) => got.push(e));
    c.update({ instances: [instance('10.0.0.1:80')] });
    const error = new Error('down');
    c.update({ instances: [instance('10.0.0.1:80')], error });
    await tick();
    expect(got.map((e) => [e.instances.length, e.error?.message])).to.deep.equal([
      [1, undefined],
      [1, 'down'],
    ]);
  });
});
