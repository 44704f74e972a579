import { expect } from 'chai';
import { DivisionByZeroError, OverflowError } from './errors.js';
import { newArithmeticService, type Operation } from './service.js';

describe('arithmetic service', () => {
  const svc = newArithmeticService();

  const answers: Array<[Operation, number, number, number]> = [
    ['add', 2, 3, 5],
    ['add', -2, 0.5, -1.5],
    ['sub', 2, 3, -1],
    ['mul', -4, 2.5, -10],
    ['div', 7, 2, 3.5],
    ['div', 0, 5, 0],
  ];
  for (const [op, a, b, want] of answers) {
    it(`${op}(${a}, ${b}) = ${want}`, () => {
      expect(svc[op](a, b)).to.equal(want);
    });
  }

  it('div by zero throws DivisionByZeroError', () => {
    expect(() => svc.div(1, 0)).to.throw(DivisionByZeroError).with.property('code', 'ARITH_ERR_DIVISION_BY_ZERO');
  });

  const overflows: Array<[Operation, number, number]> = [
    ['add', Number.MAX_VALUE, Number.MAX_VALUE],
    ['sub', -Number.MAX_VALUE, Number.MAX_VALUE],
    ['mul', 1e300, 1e300],
    ['div', 1e300, 1e-300],
  ];
  for (const [op, a, b] of overflows) {
    it(`${op}(${a}, ${b}) throws OverflowError`, () => {
      expect(() => svc[op](a, b)).to.throw(OverflowError).with.property('code', 'ARITH_ERR_OVERFLOW');
    });
  }
});
