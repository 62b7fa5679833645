/**
 * Whether a prompt can travel as a command-line argument. Linux refuses (E2BIG) one argument of
 * 131072 bytes or more, and argv plus environment past a total limit; a NUL byte cannot be in an
 * argument at all. A prompt that does not fit goes on stdin, which has no limit.
 */
import { defaults } from '../../defaults';

function environmentBytes(env: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(env)) total += Buffer.byteLength(key) + Buffer.byteLength(value) + 2;
  return total;
}

export function promptFitsArgv(prompt: string, otherArgs: readonly string[], env: Readonly<Record<string, string>>): boolean {
  const bytes = Buffer.byteLength(prompt);
  if (bytes > defaults.maxArgPromptBytes || prompt.includes('\0')) return false;
  const argv = otherArgs.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, bytes + 1);
  return argv + environmentBytes(env) <= defaults.maxArgvEnvBytes;
}
