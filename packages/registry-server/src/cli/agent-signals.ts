import type { AgentConfig } from '../config/agent-config.js';

/**
 * Whether a client agent leaves the cluster gracefully when stopped by `signal`, as Consul
 * decides it: SIGTERM with leave_on_terminate, SIGINT without skip_leave_on_interrupt.
 */
export function leavesOnSignal(signal: string, config: Pick<AgentConfig, 'leaveOnTerminate' | 'skipLeaveOnInterrupt'>): boolean {
  return (signal === 'SIGTERM' && config.leaveOnTerminate) || (signal === 'SIGINT' && !config.skipLeaveOnInterrupt);
}

/**
 * The agent's signals, caught from the start: SIGINT/SIGTERM stop it (a second one exits at
 * once), SIGHUP reloads its config files. One that arrives while the agent starts is served
 * once it is up, instead of killing the process half-initialised.
 */
export class AgentSignals {
  private stopHandler: (signal: string) => void = () => undefined;
  private pendingStop: string | null = null;
  private hangupHandler: (() => void) | null = null;
  private hangupPending = false;

  constructor() {
    process.on('SIGINT', () => this.stop('SIGINT'));
    process.on('SIGTERM', () => this.stop('SIGTERM'));
    process.on('SIGHUP', () => (this.hangupHandler ? this.hangupHandler() : (this.hangupPending = true)));
  }

  /** A stop request (a signal, or `leave`): the first is handled, a second exits at once. */
  stop(signal: string): void {
    if (this.pendingStop) process.exit(1);
    this.pendingStop = signal;
    this.stopHandler(signal);
  }

  /** What a stop does from now on; a stop requested before runs now. */
  onStop(handler: (signal: string) => void): void {
    this.stopHandler = handler;
    if (this.pendingStop) handler(this.pendingStop);
  }

  /** What SIGHUP does once the agent is up; one caught before runs now. */
  onHangup(handler: () => void): void {
    this.hangupHandler = handler;
    if (this.hangupPending) handler();
  }
}
