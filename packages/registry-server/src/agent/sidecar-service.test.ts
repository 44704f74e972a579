import { expect } from 'chai';
import type { ServiceInput } from '../commands/register.js';
import { sidecarDefinition, sidecarPort } from './sidecar-service.js';

const range = { min: 21000, max: 21002 };
const parent: ServiceInput = {
  ID: 'web1',
  Service: 'web',
  Tags: ['a'],
  Address: '10.1.2.3',
  Meta: { m: '1' },
  Port: 8080,
  Weights: { Passing: 1, Warning: 1 },
  EnableTagOverride: false,
};
const rules = { scriptsAllowed: false };
const error = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return [(err as { statusCode?: number }).statusCode, (err as Error).message];
  }
  throw new Error('expected an error');
};

describe('sidecarPort: the port of a sidecar registered without one', () => {
  it('takes the lowest free port of the range, keeps the one a sidecar has, ignores ports outside the range', () => {
    expect(sidecarPort([], 'web1-sidecar-proxy', range)).to.equal(21000);
    expect(sidecarPort([{ ID: 'x', Port: 21000 }, { ID: 'y', Port: 80 }], 'web1-sidecar-proxy', range)).to.equal(21001);
    expect(sidecarPort([{ ID: 'x', Port: 21000 }, { ID: 'web1-sidecar-proxy', Port: 21002 }], 'web1-sidecar-proxy', range)).to.equal(21002);
  });

  it('fails with Consul’s words when the range is used up or turned off', () => {
    const full = [21000, 21001, 21002].map((Port, i) => ({ ID: `s${i}`, Port }));
    expect(error(() => sidecarPort(full, 'web1-sidecar-proxy', range))).to.deep.equal([500, 'no port provided for sidecar_service and none left in the configured range [21000, 21002]']);
    expect(error(() => sidecarPort([], 'web1-sidecar-proxy', { min: 0, max: 0 }))).to.deep.equal([500, 'no port provided for sidecar_service and auto-assignment disabled in config']);
  });
});

describe('sidecarDefinition: the sidecar a SidecarService asks for', () => {
  it('fills in Consul’s defaults from the parent, with a TCP check and an alias of the parent', () => {
    const def = sidecarDefinition(parent, {}, 21000, rules);
    expect(def.service).to.deep.include({ ID: 'web1-sidecar-proxy', Service: 'web-sidecar-proxy', Kind: 'connect-proxy', Tags: ['a'], Meta: { m: '1' }, Address: '10.1.2.3', Port: 21000 });
    expect(def.service.Proxy).to.deep.include({ DestinationServiceName: 'web', DestinationServiceID: 'web1', LocalServiceAddress: '127.0.0.1', LocalServicePort: 8080 });
    expect(def.checks.map((c) => [c.CheckID, c.Name, c.Type, c.Definition])).to.deep.equal([
      ['service:web1-sidecar-proxy:1', 'Connect Sidecar Listening', 'tcp', { TCP: '127.0.0.1:21000', Interval: '10s' }],
      ['service:web1-sidecar-proxy:2', 'Connect Sidecar Aliasing web1', 'alias', { AliasService: 'web1' }],
    ]);
  });

  it('keeps what the SidecarService sets itself: name, tags, proxy fields and its own checks', () => {
    const def = sidecarDefinition(parent, { Name: 'p', Tags: ['x'], Proxy: { LocalServiceAddress: '::1', LocalServicePort: 99 }, Checks: [{ TTL: '10s' }] }, 20000, rules);
    expect(def.service).to.deep.include({ Service: 'p', Tags: ['x'], Port: 20000 });
    expect(def.service.Proxy).to.deep.include({ LocalServiceAddress: '::1', LocalServicePort: 99 });
    expect(def.checks.map((c) => [c.CheckID, c.Name, c.Type])).to.deep.equal([['service:web1-sidecar-proxy', "Service 'p' check", 'ttl']]);
  });

  it('refuses what Consul refuses: a nested SidecarService or an ID (400), bad Meta (500)', () => {
    expect(error(() => sidecarDefinition(parent, { ID: 'mine', Connect: { SidecarService: {} } }, 21000, rules))).to.deep.equal([
      400,
      '2 errors occurred:\n\t* A SidecarService cannot have a nested SidecarService\n\t* A SidecarService cannot specify an ID as this is managed by the agent\n\n',
    ]);
    const [status, message] = error(() => sidecarDefinition(parent, { Meta: { 'consul-x': '1' } }, 21000, rules));
    expect(status).to.equal(500);
    expect(message).to.match(/^Invalid SidecarService: .*consul-/);
  });
});
