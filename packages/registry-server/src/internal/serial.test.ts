import { expect } from 'chai';
import { Serial } from './serial.js';

describe('Serial', () => {
  it('runs tasks one at a time, in call order, a failure not stopping the next', async () => {
    const serial = new Serial();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        events.push(`start ${name}`);
        setTimeout(() => {
          events.push(`end ${name}`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const a = serial.run(task('a', 30));
    const b = serial.run(task('b', 1, true));
    const c = serial.run(task('c', 1));
    expect(await a).to.equal('a');
    await b.then(() => expect.fail('b should reject'), (err: Error) => expect(err.message).to.equal('b'));
    expect(await c).to.equal('c');
    expect(events).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('starts the first task once `after` settled, even when it failed', async () => {
    let fail: (err: Error) => void = () => undefined;
    const serial = new Serial(new Promise((_, reject) => (fail = reject)));
    let ran = false;
    const first = serial.run(async () => (ran = true));
    await new Promise((r) => setImmediate(r));
    expect(ran).to.equal(false);
    fail(new Error('start failed'));
    expect(await first).to.equal(true);
  });
});
