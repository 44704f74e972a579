import { expect } from 'chai';
import type { HealthCheck } from '../structs/check.js';
import { aggregateStatus, worst } from './service-health.js';

const check = (CheckID: string, Status: HealthCheck['Status']) => ({ CheckID, Status }) as HealthCheck;

describe('service health aggregation', () => {
  it('is the worst check status, maintenance above all, passing with no checks', () => {
    const table: Array<[HealthCheck[], string]> = [
      [[], 'passing'],
      [[check('a', 'passing'), check('b', 'warning')], 'warning'],
      [[check('a', 'warning'), check('b', 'critical')], 'critical'],
      [[check('a', 'passing'), check('_service_maintenance:web', 'critical')], 'maintenance'],
      [[check('_node_maintenance', 'critical')], 'maintenance'],
    ];
    for (const [checks, want] of table) expect(aggregateStatus(checks)).to.equal(want);
    expect(worst(['passing', 'maintenance', 'critical'])).to.equal('maintenance');
  });
});
