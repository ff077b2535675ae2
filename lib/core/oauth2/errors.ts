// A provider endpoint answered with an HTTP error (its own module so that catching it does not load
// the strategies, which load passport-oauth2).
export class ProviderHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ProviderHttpError';
  }
}
