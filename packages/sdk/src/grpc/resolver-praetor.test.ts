import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { FixedInstancer } from '../sd/instancer.js';
import { instance } from '../sd/instance.js';
import type { PraetorTarget } from './praetor-target.js';
import { DEFAULT_PRAETOR_SERVICE_CONFIG, praetorResolverClass } from './resolver-praetor.js';

type Call = Parameters<grpc.experimental.ResolverListener>;

const tick = () => new Promise((r) => setImmediate(r));

/** A resolver over a FixedInstancer, with the listener calls it made. */
function setup(opts: { channelOptions?: grpc.ChannelOptions; accept?: () => boolean; path?: string } = {}) {
  const fixed = new FixedInstancer([instance('127.0.0.2:50051'), instance('127.0.0.1:50051')]);
  let stops = 0;
  const targets: PraetorTarget[] = [];
  fixed.stop = () => void stops++;
  const Resolver = praetorResolverClass(grpc, {
    newInstancer: (t) => {
      targets.push(t);
      return fixed;
    },
  });
  const calls: Call[] = [];
  const listener: grpc.experimental.ResolverListener = (...args) => {
    calls.push(args);
    return opts.accept ? opts.accept() : true;
  };
  const resolver = new Resolver({ scheme: 'praetor', authority: '', path: opts.path ?? 'hello?tag=v1' }, listener, opts.channelOptions ?? {});
  return { fixed, resolver, calls, targets, stops: () => stops, Resolver };
}

function hosts(c: Call): string[] {
  expect(c[0].ok).to.equal(true);
  return (c[0] as { value: grpc.experimental.Endpoint[] }).value.flatMap((e) => e.addresses.map(grpc.experimental.subchannelAddressToString));
}

describe('praetor resolver (grpc-js 1.14 listener contract)', () => {
  it('starts watching on updateResolution and never calls the listener synchronously', async () => {
    const { resolver, calls, targets } = setup();
    await tick();
    expect(calls.length, 'nothing before updateResolution').to.equal(0);
    resolver.updateResolution();
    expect(calls.length, 'not from inside updateResolution').to.equal(0);
    await tick();
    expect(targets).to.deep.equal([{ service: 'hello', tags: ['v1'], passing: true, registry: [] }]);
    expect(calls.length).to.equal(1);
    expect(hosts(calls[0])).to.deep.equal(['127.0.0.1:50051', '127.0.0.2:50051']);
    expect(calls[0][1]).to.deep.equal({});
    expect(calls[0][2]).to.deep.equal({ ok: true, value: DEFAULT_PRAETOR_SERVICE_CONFIG });
  });

  it('delivers each change as the full set, one endpoint per host:port, and an empty set as empty then UNAVAILABLE', async () => {
    const { fixed, resolver, calls } = setup();
    resolver.updateResolution();
    await tick();
    fixed.set([instance('127.0.0.3:1', { id: 'a' }), instance('127.0.0.3:1', { id: 'b' })]);
    await tick();
    expect(hosts(calls[1])).to.deep.equal(['127.0.0.3:1']);
    fixed.set([]);
    await tick();
    expect(hosts(calls[2]), 'the old endpoints are dropped').to.deep.equal([]);
    expect(calls[2][3]).to.match(/no passing instances of service "hello", tags v1/);
    expect(calls[3][0].ok, 'then an error, so calls fail fast').to.equal(false);
    expect((calls[3][0] as { error: grpc.StatusObject }).error).to.include({ code: grpc.status.UNAVAILABLE, details: calls[2][3] });
  });

  it('reports a discovery error as an UNAVAILABLE StatusOr and lets the balancer keep its addresses', async () => {
    const { fixed, resolver, calls } = setup();
    resolver.updateResolution();
    await tick();
    fixed.set([instance('127.0.0.1:50051')], new Error('registry down'));
    await tick();
    const [result, , config, note] = calls[1];
    expect(result.ok).to.equal(false);
    const error = (result as { error: grpc.StatusObject }).error;
    expect(error.code).to.equal(grpc.status.UNAVAILABLE);
    expect(error.details).to.match(/discovery of service "hello", tags v1 failed: registry down/);
    expect(error.metadata).to.be.instanceOf(grpc.Metadata);
    expect(config, 'the service config still applies').to.deep.equal({ ok: true, value: DEFAULT_PRAETOR_SERVICE_CONFIG });
    expect(note).to.equal(error.details);
  });

  it('leaves the service config to a channel that sets its own', async () => {
    for (const channelOptions of [{ 'grpc.service_config': '{}' }, { 'grpc.service_config_disable_resolution': 1 }]) {
      const { resolver, calls } = setup({ channelOptions });
      resolver.updateResolution();
      await tick();
      expect(calls[0][2]).to.equal(null);
    }
  });

  it('redelivers on updateResolution only when the balancer refused the last result', async () => {
    let accept = false;
    const { resolver, calls } = setup({ accept: () => accept });
    resolver.updateResolution();
    await tick();
    expect(calls.length).to.equal(1);
    accept = true;
    resolver.updateResolution();
    expect(calls.length).to.equal(1);
    await tick();
    expect(calls.length).to.equal(2);
    resolver.updateResolution();
    await tick();
    expect(calls.length, 'accepted: the watch pushes changes, nothing to redeliver').to.equal(2);
  });

  it('destroy stops the watch and silences the listener until updateResolution starts a new one', async () => {
    const { fixed, resolver, calls, stops, targets } = setup();
    resolver.updateResolution();
    await tick();
    fixed.set([instance('127.0.0.9:1')]);
    resolver.destroy();
    resolver.destroy();
    await tick();
    expect(stops()).to.equal(1);
    expect(calls.length, 'the change queued before destroy is dropped').to.equal(1);
    resolver.updateResolution();
    await tick();
    expect(targets.length).to.equal(2);
    expect(hosts(calls[1])).to.deep.equal(['127.0.0.9:1']);
  });

  it('getDefaultAuthority is the service name and refuses a bad target', () => {
    const { Resolver } = setup();
    expect(Resolver.getDefaultAuthority({ scheme: 'praetor', authority: 'r:8500', path: 'hello?tag=a' })).to.equal('hello');
    expect(() => Resolver.getDefaultAuthority({ scheme: 'praetor', authority: '', path: 'hello?bogus=1' })).to.throw(/unknown parameter "bogus"/);
  });

  it('reports a target it cannot read through the listener, asynchronously', async () => {
    const { resolver, calls } = setup({ path: 'hello?bogus=1' });
    resolver.updateResolution();
    expect(calls.length).to.equal(0);
    await tick();
    expect(calls[0][0].ok).to.equal(false);
    expect((calls[0][0] as { error: grpc.StatusObject }).error.code).to.equal(grpc.status.UNAVAILABLE);
  });
});
