import { expect } from 'chai';
import { BadRequestError } from '../errors.js';
import { compileFilter } from './filter.js';
import { CHECK_FIELDS, SERVICE_ENTRY_FIELDS, SERVICE_FIELDS } from './schemas.js';
import type { StructType } from './schema.js';

const PREFIX = 'Failed to create boolean expression evaluator: ';

function refusal(expression: string, schema: StructType = SERVICE_FIELDS): string {
  try {
    compileFilter(expression, schema);
  } catch (err) {
    expect(err).to.be.instanceOf(BadRequestError);
    expect((err as BadRequestError).statusCode).to.equal(400);
    expect((err as Error).message.startsWith(PREFIX), (err as Error).message).to.equal(true);
    return (err as Error).message.slice(PREFIX.length);
  }
  throw new Error(`${expression} was accepted`);
}

describe('filter checks against the endpoint schema', () => {
  it('accepts what Consul 1.8.7 accepts for /v1/agent/services', () => {
    const accepted = [
      'Meta.env == qa',
      'Meta["env"] == qa',
      '"env" in Meta',
      'Meta is empty',
      'primary in Tags',
      'Tags not contains primary',
      'Tags is not empty',
      'Port == 80',
      'Port == "0x50"',
      'Port == "0o120"',
      'Port == "0b1010000"',
      'Port == "1_000"',
      'Port == "+80"',
      'Port == -0',
      'Port == "-9223372036854775808"',
      'Weights.Passing == 3',
      'EnableTagOverride == T',
      'EnableTagOverride == 1',
      'EnableTagOverride == TRUE',
      'TaggedAddresses.lan.Port == 1',
      '"lan" in TaggedAddresses',
      'Kind == ""',
      'Meta.env == 1.5',
      '"a" in Meta.env',
      'Meta.env in Tags',
      'Tags contains 5',
      'Proxy.Upstreams.DestinationName == db',
      'Proxy.Expose.Paths.ListenerPort == 21500',
      'Proxy.Upstreams is empty',
      'Connect.Native == false',
      'Service matches "^re" and not Meta.env not matches "(?i)QA"',
    ];
    for (const e of accepted) expect(() => compileFilter(e, SERVICE_FIELDS), e).to.not.throw();
  });

  it("refuses unknown selectors, unsupported operators, bad values and patterns with Consul 1.8.7's text", () => {
    const table: Array<[string, string]> = [
      ['Nope == 1', 'Selector "Nope" is not valid'],
      ['notPort == 1', 'Selector "notPort" is not valid'],
      ['Meta["env"].x == 1', 'Selector "Meta.env.x" is not valid'],
      ['Meta["a\\tb"].x == 1', 'Selector "Meta.a\\tb.x" is not valid'],
      ['Port.x == 1', 'Selector "Port.x" is not valid'],
      ['Tags.x == 1', 'Selector "Tags.x" is not valid'],
      ['SocketPath == x', 'Selector "SocketPath" is not valid'],
      ['CreateIndex == 1', 'Selector "CreateIndex" is not valid'],
      ['Proxy.Config == x', 'Selector "Proxy.Config" is not valid'],
      ['Nope.x == 1 and Port == abc', 'Selector "Nope" is not valid'],
      ['Port == abc and Nope == 1', 'Failed to coerce value "abc" for selector "Port": strconv.ParseInt: parsing "abc": invalid syntax'],
      ['Port matches "1"', 'Invalid match operator "Matches" for selector "Port"'],
      ['Port contains 1', 'Invalid match operator "In" for selector "Port"'],
      ['Weights == 1', 'Invalid match operator "Equal" for selector "Weights"'],
      ['Tags == x', 'Invalid match operator "Equal" for selector "Tags"'],
      ['Meta == x', 'Invalid match operator "Equal" for selector "Meta"'],
      ['Meta.env is empty', 'Invalid match operator "Is Empty" for selector "Meta.env"'],
      ['Proxy.Upstreams contains x', 'Invalid match operator "In" for selector "Proxy.Upstreams"'],
      ['Port == 99999999999999999999', 'Failed to coerce value "99999999999999999999" for selector "Port": strconv.ParseInt: parsing "99999999999999999999": value out of range'],
      ['Port == "9223372036854775808"', 'Failed to coerce value "9223372036854775808" for selector "Port": strconv.ParseInt: parsing "9223372036854775808": value out of range'],
      ['Port == "080"', 'Failed to coerce value "080" for selector "Port": strconv.ParseInt: parsing "080": invalid syntax'],
      ['Port == "_1"', 'Failed to coerce value "_1" for selector "Port": strconv.ParseInt: parsing "_1": invalid syntax'],
      ['Port == "0x"', 'Failed to coerce value "0x" for selector "Port": strconv.ParseInt: parsing "0x": invalid syntax'],
      ['Port == ""', 'Failed to coerce value "" for selector "Port": strconv.ParseInt: parsing "": invalid syntax'],
      ['Weights.Passing == " 3"', 'Failed to coerce value " 3" for selector "Weights.Passing": strconv.ParseInt: parsing " 3": invalid syntax'],
      ['EnableTagOverride == yes', 'Failed to coerce value "yes" for selector "EnableTagOverride": strconv.ParseBool: parsing "yes": invalid syntax'],
      ['EnableTagOverride == "tRue"', 'Failed to coerce value "tRue" for selector "EnableTagOverride": strconv.ParseBool: parsing "tRue": invalid syntax'],
      ['Meta.env matches "("', 'Failed to compile regular expression "(": error parsing regexp: missing closing ): `(`'],
      ['Service matches "\\\\q"', 'Failed to compile regular expression "\\\\q": error parsing regexp: invalid escape sequence: `\\q`'],
    ];
    for (const [e, want] of table) expect(refusal(e), e).to.equal(want);
  });

  it('uses the selectors of each item shape', () => {
    expect(() => compileFilter('Checks.Status == passing and Node.Meta.os == linux and Service.Tags contains v1', SERVICE_ENTRY_FIELDS)).to.not.throw();
    expect(refusal('Checks.Definition == 1', SERVICE_ENTRY_FIELDS)).to.equal('Selector "Checks.Definition" is not valid');
    expect(refusal('Checks == 1', SERVICE_ENTRY_FIELDS)).to.equal('Invalid match operator "Equal" for selector "Checks"');
    expect(refusal('Node == x', SERVICE_ENTRY_FIELDS)).to.equal('Invalid match operator "Equal" for selector "Node"');
    expect(() => compileFilter('ServiceTags contains x and Status == passing', CHECK_FIELDS)).to.not.throw();
    expect(refusal('Definition.HTTP == x', CHECK_FIELDS)).to.equal('Selector "Definition" is not valid');
    // Syntax errors carry the same prefix.
    expect(refusal('Port ==')).to.equal('1:8 (7): no match found, expected: "-", "0", "\\"", "`", [ \\t\\r\\n], [1-9] or [a-zA-Z]');
  });
});
