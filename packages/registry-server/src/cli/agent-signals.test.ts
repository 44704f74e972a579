import { expect } from 'chai';
import { leavesOnSignal } from './agent-signals.js';

describe('leavesOnSignal', () => {
  it("follows Consul's leave_on_terminate and skip_leave_on_interrupt", () => {
    const client = { leaveOnTerminate: true, skipLeaveOnInterrupt: false };
    expect(leavesOnSignal('SIGTERM', client)).to.equal(true);
    expect(leavesOnSignal('SIGINT', client)).to.equal(true);
    const stays = { leaveOnTerminate: false, skipLeaveOnInterrupt: true };
    expect(leavesOnSignal('SIGTERM', stays)).to.equal(false);
    expect(leavesOnSignal('SIGINT', stays)).to.equal(false);
    // `praetor leave` has left already by the time the agent stops.
    expect(leavesOnSignal('leave', client)).to.equal(false);
  });
});
