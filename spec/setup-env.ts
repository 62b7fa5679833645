/**
 * Runs before every spec file: the plan key (plan-integrity.ts) lives in a private directory under
 * the temp dir, never in the real ~/.config. CLIs the specs spawn inherit the variable.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.RXO_CONFIG_DIR) process.env.RXO_CONFIG_DIR = join(tmpdir(), `rxo-spec-config-${process.getuid?.() ?? 'user'}`);
