/**
 * Session ids: `<pattern>_<UTC date>-<time>_<8 random hex digits>`, unique even for two sessions
 * of one pattern started in the same millisecond, and safe as a directory name.
 */
import { randomBytes } from 'node:crypto';

export function createSessionId(patternName: string, now = new Date()): string {
  const pattern = patternName.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+/, '').slice(0, 60) || 'session';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${pattern}_${stamp}_${randomBytes(4).toString('hex')}`;
}
