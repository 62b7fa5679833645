// A chatty child for the latency scenario: every `interval` ms it writes one line holding the
// wall-clock time (ms, sub-millisecond precision) at which it wrote it, for `duration` ms.
const interval = Number(process.argv[2] ?? 2);
const duration = Number(process.argv[3] ?? 3000);
const now = () => performance.timeOrigin + performance.now();
const end = now() + duration;
const pad = 'x'.repeat(60);
const timer = setInterval(() => {
  const t = now();
  process.stdout.write(`${t.toFixed(3)} ${pad}\n`);
  if (t >= end) clearInterval(timer);
}, interval);
