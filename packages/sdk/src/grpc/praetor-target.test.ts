import { expect } from 'chai';
import type { experimental } from '@grpc/grpc-js';
import { InvalidTargetError, parsePraetorTarget, praetorTarget, type PraetorTarget } from './praetor-target.js';

/** grpc-js 1.14's own split of a target (uri-parser.ts URI_REGEX), which the resolver receives. */
function grpcUri(text: string): experimental.GrpcUri {
  const m = /^(?:([A-Za-z0-9+.-]+):)?(?:\/\/([^/]*)\/)?(.+)$/.exec(text)!;
  return { scheme: m[1], authority: m[2], path: m[3] };
}

describe('praetor target', () => {
  const base: PraetorTarget = { service: 'hello', tags: [], passing: true, registry: [] };
  const table: Array<[string, PraetorTarget]> = [
    ['praetor:///hello', base],
    ['praetor:hello', base],
    ['praetor:///hello?tag=v1&tag=blue', { ...base, tags: ['v1', 'blue'] }],
    ['praetor:///hello?passing=false', { ...base, passing: false }],
    ['praetor:///hello?passing=1', base],
    ['praetor:///hello?dc=dc1', { ...base, dc: 'dc1' }],
    ['praetor:///hello?filter=Service.Meta.zone%20%3D%3D%20%22a%2Fb%22', { ...base, filter: 'Service.Meta.zone == "a/b"' }],
    ['praetor://127.0.0.1:8500/hello', { ...base, registry: ['127.0.0.1:8500'] }],
    ['praetor://10.0.0.1:8500,10.0.0.2:8500/hello?tag=v1', { ...base, tags: ['v1'], registry: ['10.0.0.1:8500', '10.0.0.2:8500'] }],
    ['praetor:///my%20svc', { ...base, service: 'my svc' }],
  ];
  for (const [text, want] of table) {
    it(`reads ${text}`, () => {
      expect(parsePraetorTarget(grpcUri(text))).to.deep.equal(want);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['praetor:///?tag=v1', /no service name/],
    ['praetor:///a%2Fb', /may not contain "\/"/],
    ['praetor:///hello?tags=v1', /unknown parameter "tags"/],
    ['praetor:///hello?tag=', /empty tag/],
    ['praetor:///hello?passing=maybe', /passing="maybe"/],
  ];
  for (const [text, why] of bad) {
    it(`refuses ${text}`, () => {
      expect(() => parsePraetorTarget(grpcUri(text)))
        .to.throw(InvalidTargetError, why)
        .with.property('code', 'PRAETOR_ERR_INVALID_TARGET');
    });
  }

  it('builds targets that read back the same', () => {
    const cases: Array<[Parameters<typeof praetorTarget>, string]> = [
      [['hello'], 'praetor:///hello'],
      [['hello', { tags: ['v1', 'blue'] }], 'praetor:///hello?tag=v1&tag=blue'],
      [['hello', { passing: false, dc: 'dc1' }], 'praetor:///hello?passing=false&dc=dc1'],
      [['hello', { registry: 'http://127.0.0.1:8500/' }], 'praetor://127.0.0.1:8500/hello'],
      [['hello', { registry: ['a:1', 'b:2'], filter: 'Service.Port > 1' }], 'praetor://a:1,b:2/hello?filter=Service.Port+%3E+1'],
    ];
    for (const [args, want] of cases) {
      const have = praetorTarget(...args);
      expect(have).to.equal(want);
      const back = parsePraetorTarget(grpcUri(have));
      expect(back.service).to.equal(args[0]);
      expect(back.tags).to.deep.equal(args[1]?.tags ?? []);
      expect(back.filter).to.equal(args[1]?.filter);
    }
    expect(() => praetorTarget('hello', { registry: 'https://r:8501' })).to.throw(InvalidTargetError, /https/);
  });
});
