import { expect } from 'chai';
import { FixedBalancer, NoEndpointsError } from './balancer.js';

describe('Balancer', () => {
  it('NoEndpointsError has a stable code and its own name', () => {
    const err = new NoEndpointsError();
    expect(err).to.be.instanceOf(Error);
    expect(err.code).to.equal('PRAETOR_ERR_NO_ENDPOINTS');
    expect(err.name).to.equal('NoEndpointsError');
    expect(err.message).to.equal('no endpoints available');
  });

  it('FixedBalancer always returns its endpoint', () => {
    const b = new FixedBalancer('a:1');
    expect([b.endpoint(), b.endpoint()]).to.deep.equal(['a:1', 'a:1']);
  });
});
