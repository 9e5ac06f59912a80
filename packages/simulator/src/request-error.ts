/** An SMSC in-band error decided while handling a request: it becomes `<error>code</error>` in the result. */
export class RequestError extends Error {
  constructor(readonly code: number) {
    super(`SMSC error ${code}`);
    this.name = "RequestError";
  }
}
