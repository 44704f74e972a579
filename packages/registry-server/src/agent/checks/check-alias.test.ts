import { expect } from 'chai';
import type { CheckStatus, HealthCheck } from '../../structs/check.js';
import { aliasResult, type AliasTarget } from './check-alias.js';

const check = (CheckID: string, Status: CheckStatus, ServiceID = '', Output = '', Type: HealthCheck['Type'] = 'ttl'): HealthCheck => ({
  Node: 'n1',
  CheckID,
  Name: `name of ${CheckID}`,
  Status,
  Notes: '',
  Output,
  ServiceID,
  ServiceName: ServiceID,
  ServiceTags: [],
  Type,
  Definition: {},
  CreateIndex: 1,
  ModifyIndex: 1,
});

const web: AliasTarget = { node: '', serviceID: 'web' };

// The verdicts are the ones Consul 1.8.7 gave for the same checks (agent/checks, alias).
describe('aliasResult: what an alias check says of its target', () => {
  it('passes with "No checks found." when the service is there with no checks', () => {
    expect(aliasResult({ checks: [], serviceExists: true }, web)).to.deep.equal({ status: 'passing', output: 'No checks found.' });
  });

  it('is critical when the service has no checks and is not registered', () => {
    expect(aliasResult({ checks: [], serviceExists: false }, web)).to.deep.equal({ status: 'critical', output: 'Service web could not be found' });
    expect(aliasResult({ checks: [], serviceExists: false }, { node: 'n2', serviceID: 'web' }).output).to.equal('Service web could not be found on node n2');
  });

  it('passes with "All checks passing." when every check of the service and of its node passes', () => {
    const view = { checks: [check('a', 'passing', 'web'), check('serfHealth', 'passing')], serviceExists: true };
    expect(aliasResult(view, web)).to.deep.equal({ status: 'passing', output: 'All checks passing.' });
  });

  it('takes a warning, and a critical over any warning, naming the failing check and its output', () => {
    const warn = { checks: [check('a', 'passing', 'web'), check('b', 'warning', 'web', 'slow')], serviceExists: true };
    expect(aliasResult(warn, web)).to.deep.equal({ status: 'warning', output: 'Aliased check "name of b" failing: slow' });
    const crit = { checks: [check('a', 'critical', 'web', 'down'), check('b', 'warning', 'web', 'slow'), check('c', 'critical', 'web', 'later')], serviceExists: true };
    expect(aliasResult(crit, web)).to.deep.equal({ status: 'critical', output: 'Aliased check "name of a" failing: down' });
  });

  it('counts the node’s own checks, ignores other services’ checks and every alias check', () => {
    const node = { checks: [check('maint', 'critical', '', 'node down'), check('web-ok', 'passing', 'web')], serviceExists: true };
    expect(aliasResult(node, web).status).to.equal('critical');
    const other = { checks: [check('db', 'critical', 'db'), check('web-ok', 'passing', 'web')], serviceExists: true };
    expect(aliasResult(other, web).status).to.equal('passing');
    const aliases = { checks: [check('self', 'critical', '', '', 'alias'), check('web-alias', 'critical', 'web', '', 'alias'), check('web-ok', 'passing', 'web')], serviceExists: true };
    expect(aliasResult(aliases, web)).to.deep.equal({ status: 'passing', output: 'All checks passing.' });
  });

  it('a node alias (no service) follows the node’s own checks', () => {
    const target = { node: 'n2', serviceID: '' };
    expect(aliasResult({ checks: [check('serfHealth', 'passing'), check('x', 'critical', 'web')], serviceExists: false }, target)).to.deep.equal({
      status: 'passing',
      output: 'All checks passing.',
    });
    expect(aliasResult({ checks: [check('serfHealth', 'critical', '', 'Agent not live or unreachable')], serviceExists: false }, target).output).to.equal(
      'Aliased check "name of serfHealth" failing: Agent not live or unreachable',
    );
    expect(aliasResult({ checks: [], serviceExists: false }, target)).to.deep.equal({ status: 'critical', output: 'No checks found on node n2' });
  });
});
