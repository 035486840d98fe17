/** A unique constraint refused the write; `field` names the API field it maps to. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly field: string,
    /** The unique index that refused it, for callers that answer one in their own words. */
    readonly index?: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
