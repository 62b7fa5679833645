/**
 * The dashboard's access token: 24 random bytes (crypto), base64url, required on every request
 * (`?token=` or the `x-rxo-token` header) and compared in constant time, so neither a page of
 * another origin nor another user of the machine can read the run.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether `given` is the token (the same time whatever it holds: both are hashed first). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/** The token a request carries: its `x-rxo-token` header, else its `token` query parameter. */
export function requestToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers['x-rxo-token'];
  if (typeof header === 'string') return header;
  return url.searchParams.get('token') ?? undefined;
}
