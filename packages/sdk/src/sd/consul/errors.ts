/** Errors of the SDK's Consul backend, each with a stable code. */
export class ConsulError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The agent answered that it does not know a check (it restarted, or the registration was lost). */
export class UnknownCheckError extends ConsulError {
  constructor(checkID: string, detail: string) {
    super('PRAETOR_ERR_UNKNOWN_CHECK', `the agent does not know check ${JSON.stringify(checkID)}: ${detail}`, 404);
  }
}

/** A request failed on every server address. */
export class UnreachableError extends ConsulError {
  constructor(detail: string) {
    super('PRAETOR_ERR_UNREACHABLE', `no registry server answered: ${detail}`);
  }
}

/** The server answered with an error status. */
export class ResponseError extends ConsulError {
  constructor(status: number, method: string, path: string, body: string) {
    super('PRAETOR_ERR_RESPONSE', `${method} ${path}: ${status} ${body.trim() || '(no message)'}`, status);
  }
}

/** A registration that cannot be sent (caught before any request). */
export class InvalidRegistrationError extends ConsulError {
  constructor(message: string) {
    super('PRAETOR_ERR_INVALID_REGISTRATION', message);
  }
}
