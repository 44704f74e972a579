import { expect } from 'chai';
import { MAX_TXN_OPS } from '../../commands/txn-ops.js';
import { PraetorError } from '../../errors.js';
import { decodeBase64, decodeTxnOps } from './txn-decode.js';

const limits = { datacenter: 'dc1', kvMaxValueSize: 16 };
const body = (v: unknown) => Buffer.from(JSON.stringify(v));

/** The status and message decodeTxnOps refuses `raw` with. */
function refusal(raw: Buffer): [number, string] {
  try {
    decodeTxnOps(raw, limits);
  } catch (err) {
    if (err instanceof PraetorError) return [err.statusCode, err.message];
    throw err;
  }
  throw new Error('accepted');
}

describe('txn body decoding (handlers/txn-decode)', () => {
  // Offsets as Go's base64 decoder reports them (checked against Consul 1.8.7).
  const base64Cases: Array<[string, string | number]> = [
    ['aGVsbG8=', 'hello'],
    ['YWJj\nZGVm', 'abcdef'],
    ['', ''],
    ['YWJ', 0],
    ['YW=j', 2],
    ['YWJjZA', 4],
    ['a!bc', 1],
    ['YWJjZA=', 7],
    ['YQ==YQ==', 4],
    ['====', 0],
  ];
  for (const [input, want] of base64Cases) {
    it(`base64 ${JSON.stringify(input)} → ${typeof want === 'number' ? `error at byte ${want}` : JSON.stringify(want)}`, () => {
      if (typeof want === 'string') {
        expect(decodeBase64(input).toString()).to.equal(want);
      } else {
        expect(() => decodeBase64(input)).to.throw(`Failed to parse body: illegal base64 data at input byte ${want}`);
      }
    });
  }

  it('decodes each kind of operation, field names in any case, and skips elements that name none', () => {
    const ops = decodeTxnOps(
      body([
        { kv: { verb: 'set', key: 'k', value: 'aGk=', flags: 3 } },
        {},
        null,
        { Node: { Verb: 'set', Node: { Node: 'n1', Address: '10.0.0.1' } } },
        { Service: { Verb: 'set', Node: 'n1', Service: { Service: 'web', Weights: { Passing: 5 }, TaggedAddresses: { lan: { Address: '1.1.1.1', Port: 1 } } } } },
        { Check: { Verb: 'set', Check: { Node: 'n1', CheckID: 'c', Definition: { HTTP: 'http://x', Interval: '90s', TimeoutDuration: 1e9, GRPC: 'ignored', Bogus: 1 } } } },
      ]),
      limits,
    );
    expect(ops).to.have.length(4);
    expect(ops[0]).to.deep.equal({ KV: { Verb: 'set', Key: 'k', Value: Buffer.from('hi'), Flags: 3, Index: 0, Session: '' } });
    expect(ops[1]).to.deep.nested.include({ 'Node.Node.Datacenter': 'dc1', 'Node.Node.Address': '10.0.0.1' });
    // Consul 1.8 takes weights as given once any is set, and does not carry tagged addresses.
    expect(ops[2]).to.deep.nested.include({ 'Service.Service.Weights': { Passing: 5, Warning: 0 } });
    expect((ops[2] as { Service: { Service: object } }).Service.Service).to.not.have.property('TaggedAddresses');
    expect((ops[3] as { Check: { Check: { Definition: object } } }).Check.Check.Definition).to.deep.equal({ Interval: '1m30s', Timeout: '1s', HTTP: 'http://x' });
  });

  it('an empty value is stored as no value', () => {
    expect(decodeTxnOps(body([{ KV: { Verb: 'set', Key: 'k', Value: '' } }]), limits)[0]).to.deep.nested.include({ 'KV.Value': null });
  });

  it(`${MAX_TXN_OPS} operations pass; ${MAX_TXN_OPS + 1} are refused with Consul's 413`, () => {
    const ops = (n: number) => body(Array.from({ length: n }, (_, i) => ({ KV: { Verb: 'get', Key: `k${i}` } })));
    expect(decodeTxnOps(ops(MAX_TXN_OPS), limits)).to.have.length(MAX_TXN_OPS);
    expect(refusal(ops(MAX_TXN_OPS + 1))).to.deep.equal([413, `Transaction contains too many operations (${MAX_TXN_OPS + 1} > ${MAX_TXN_OPS})`]);
  });

  const refused: Array<[string, Buffer, number, string | RegExp]> = [
    ['an empty body', Buffer.alloc(0), 400, 'Failed to parse body: EOF'],
    ['bad JSON', Buffer.from('{bad'), 400, /^Failed to parse body: /],
    ['an object instead of an array', body({}), 400, /^Failed to parse body: .*expected an array/],
    ['an unknown operation', body([{ Bogus: {} }]), 400, /^Failed to parse body: json: unknown field "Bogus"/],
    ['an unknown KV field', body([{ KV: { Verb: 'get', Key: 'a', CreateIndex: 1 } }]), 400, /unknown field "CreateIndex"/],
    ['a key that is not a string', body([{ KV: { Verb: 'get', Key: 5 } }]), 400, /field "\[0\]\.KV\.Key": expected a string/],
    ['a negative index', body([{ KV: { Verb: 'cas', Key: 'a', Index: -1 } }]), 400, /expected a non-negative integer/],
    ['a value that is not a string', body([{ KV: { Verb: 'set', Key: 'a', Value: 5 } }]), 400, /expected a base64 string/],
    ['bad base64', body([{ KV: { Verb: 'set', Key: 'a', Value: '!!!' } }]), 400, 'Failed to parse body: illegal base64 data at input byte 0'],
    ['a bad check interval', body([{ Check: { Verb: 'set', Check: { Node: 'n', Definition: { Interval: '10' } } } }]), 400, /missing unit/],
    ['a value over kv_max_value_size', body([{ KV: { Verb: 'set', Key: 'big', Value: Buffer.alloc(17).toString('base64') } }]), 413, 'Value for key "big" is too large (17 > 16 bytes)'],
  ];
  for (const [name, raw, status, message] of refused) {
    it(`refuses ${name} with ${status}`, () => {
      const [got, text] = refusal(raw);
      expect(got, text).to.equal(status);
      if (typeof message === 'string') expect(text).to.equal(message);
      else expect(text).to.match(message);
    });
  }
});
