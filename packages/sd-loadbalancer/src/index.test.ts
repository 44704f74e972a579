import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as api from './index.js';

describe('@praetor/sd-loadbalancer API', () => {
  it('documents every error code in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const errors = [new api.NoEndpointsError(), new api.RetryError([], new Error('x'))];
    for (const err of errors) expect(readme, err.name).to.include(err.code).and.include(err.name);
    const exportedErrors = Object.values(api).filter((v) => typeof v === 'function' && v.prototype instanceof Error);
    expect(exportedErrors).to.have.length(errors.length);
  });
});
