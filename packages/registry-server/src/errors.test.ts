import { expect } from 'chai';
import * as errors from './errors.js';

describe('error registry', () => {
  it('documents every error code', () => {
    const codes = new Set<string>();
    for (const value of Object.values(errors)) {
      if (typeof value !== 'function' || !(value.prototype instanceof errors.PraetorError)) continue;
      const args = value === errors.MethodNotAllowedError ? ['POST', ['GET']] : ['x'];
      const err = new (value as new (...a: unknown[]) => errors.PraetorError)(...args);
      codes.add(err.code);
      expect(errors.ERROR_CODES, err.code).to.have.property(err.code);
    }
    expect(codes.size).to.be.greaterThan(5);
  });
});
