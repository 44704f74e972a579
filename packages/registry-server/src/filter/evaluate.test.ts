import { expect } from 'chai';
import { compileFilter } from './filter.js';
import { BOOL, INT, STRING, listOf, mapOf, struct } from './schema.js';

const SCHEMA = struct({
  Name: STRING,
  Port: INT,
  On: BOOL,
  Tags: listOf(STRING),
  Ports: listOf(INT),
  Meta: mapOf(STRING),
  Addresses: mapOf(struct({ Address: STRING, Port: INT })),
  Checks: listOf(struct({ Status: STRING, Tags: listOf(STRING) })),
  Weights: struct({ Passing: INT }),
});

const ITEMS: Record<string, unknown> = {
  a: { Name: 'web', Port: 80, On: true, Tags: ['blue', 'v1'], Ports: [80, 81], Meta: { env: 'prod', zone: '' }, Addresses: { lan: { Address: '10.0.0.1', Port: 80 } }, Checks: [{ Status: 'passing', Tags: [] }, { Status: 'critical', Tags: ['x'] }], Weights: { Passing: 3 } },
  b: { Name: 'web-2', Port: 8080, On: false, Tags: [], Ports: [], Meta: { env: 'qa' }, Addresses: {}, Checks: [{ Status: 'passing', Tags: ['x'] }], Weights: { Passing: 1 } },
  // What a view may leave out or set to null counts as the zero value.
  c: { Name: 'db', Tags: null, Meta: null, Checks: [] },
};

function pick(expression: string): string {
  const f = compileFilter(expression, SCHEMA);
  return Object.keys(ITEMS)
    .filter((k) => f.matches(ITEMS[k]))
    .join(',');
}

describe('filter evaluation', () => {
  it('compares strings, integers and booleans after reading the value as the field type', () => {
    const table: Array<[string, string]> = [
      ['Name == web', 'a'],
      ['Name == "web"', 'a'],
      ['Name != web', 'b,c'],
      ['Name == ""', ''],
      ['Port == 80', 'a'],
      ['Port == "0x50"', 'a'],
      ['Port == 0', 'c'],
      ['Port != 80', 'b,c'],
      ['On == true', 'a'],
      ['On == f', 'b,c'],
      ['Weights.Passing == 3', 'a'],
      ['Weights.Passing == 0', 'c'],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('reads in/contains as substring, element or key, and is empty as length 0', () => {
    const table: Array<[string, string]> = [
      ['"eb" in Name', 'a,b'],
      ['Name contains "-"', 'b'],
      ['Name not contains "-"', 'a,c'],
      ['"" in Name', 'a,b,c'],
      ['blue in Tags', 'a'],
      ['Tags contains blue', 'a'],
      ['Tags not contains blue', 'b,c'],
      ['Ports contains 81', 'a'],
      ['Ports contains "0x51"', 'a'],
      ['"env" in Meta', 'a,b'],
      ['"zone" in Meta', 'a'],
      ['Meta not contains env', 'c'],
      ['"lan" in Addresses', 'a'],
      ['Tags is empty', 'b,c'],
      ['Tags is not empty', 'a'],
      ['Meta is empty', 'c'],
      ['Addresses is not empty', 'a'],
      ['Checks is empty', 'c'],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('treats a missing map key as matching only the negative operators', () => {
    const table: Array<[string, string]> = [
      ['Meta.zone == ""', 'a'],
      ['Meta.zone != ""', 'b,c'],
      ['Meta.zone != x', 'a,b,c'],
      ['Meta.zone matches ".*"', 'a'], // Consul 1.8.7 also matched b and c here (a go-bexpr bug fixed since)
      ['Meta.zone not matches ".*"', 'b,c'],
      ['Meta["env"] == qa', 'b'],
      ['Addresses.lan.Port == 80', 'a'],
      ['Addresses.lan.Port != 80', 'b,c'],
      ['Addresses.wan.Address == ""', ''],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('matches below a list of structs when any element matches', () => {
    const table: Array<[string, string]> = [
      ['Checks.Status == passing', 'a,b'],
      ['Checks.Status == critical', 'a'],
      ['Checks.Status != passing', 'a'],
      ['not Checks.Status == critical', 'b,c'],
      ['Checks.Tags contains x', 'a,b'],
      ['Checks.Tags is empty', 'a'],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('runs Go regular expressions', () => {
    const table: Array<[string, string]> = [
      ['Name matches "^web"', 'a,b'],
      ['Name matches "^web$"', 'a'],
      ['Name not matches "-\\\\d$"', 'a,c'],
      ['Name matches "(?i)^DB$"', 'c'],
      ['Meta.env matches `^(prod|qa)$`', 'a,b'],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('combines with and, or, not and parentheses', () => {
    const table: Array<[string, string]> = [
      ['Name == web or Name == db', 'a,c'],
      ['Name matches "^web" and Port == 8080', 'b'],
      ['Name == db or Name == web and Port == 8080', 'c'],
      ['(Name == db or Name == web) and Port == 0', 'c'],
      ['not (Name == db or Tags contains blue)', 'b'],
      ['not not Name == db', 'c'],
    ];
    for (const [e, want] of table) expect(pick(e), e).to.equal(want);
  });

  it('does not see inherited properties as map keys or fields', () => {
    expect(pick('"constructor" in Meta')).to.equal('');
    expect(pick('Meta.toString == ""')).to.equal('');
    expect(pick('Meta.toString != ""')).to.equal('a,b,c');
  });
});
