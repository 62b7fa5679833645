// A throwaway redis-server on a free loopback port, for `npm run demo:cluster` and the bench's
// remote scenarios: no persistence, its own directory, reachable before the promise resolves.
//
//   const { url, child, dir } = await startLocalRedis('rxo-demo-cluster-');
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** A loopback port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls until Redis at `url` answers, for at most `waitMs`. */
async function waitReachable(url, waitMs) {
  const { checkReachable } = require('../dist/toolkit.js');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await checkReachable(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Starts redis-server (from PATH) in a new temp directory; resolves { url, child, dir } once it answers. */
async function startLocalRedis(prefix, waitMs = 10_000) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  await waitReachable(url, waitMs);
  return { url, child, dir };
}

module.exports = { freePort, startLocalRedis, waitReachable };
