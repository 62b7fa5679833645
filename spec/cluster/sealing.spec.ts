/**
 * The cluster's protection without Redis: keys from the secret, signatures over the canonical
 * form, sealing bound to its context, jobs refused when tampered, too old or signed with another
 * secret, and Redis URLs shown without their password.
 */
import { canonicalJson, clusterKeys, readClusterSecret, seal, sign, unseal, verify } from '../../src/cluster/sealing';
import { makeJob, openJob } from '../../src/cluster/job-payload';
import { checkRedisUrl, redactRedisUrl } from '../../src/cluster/redis-connection';
import { ClusterSecretError, ClusterSignatureError } from '../../src/cluster/cluster-error';

const keys = clusterKeys('a shared secret of enough length');
const spec = { kind: 'command', processId: 'p', command: 'echo', args: ['hi'], env: { API_TOKEN: 'tok-123456789' } };

describe('cluster sealing', () => {
  it('refuses a missing or short secret, naming where it comes from', () => {
    expect(() => clusterKeys('short')).toThrow(ClusterSecretError);
    expect(() => clusterKeys('short')).toThrow(/at least 16 characters \(RXO_CLUSTER_SECRET or --secret-file\)/);
    expect(() => readClusterSecret({ env: {} })).toThrow(/no cluster secret: set RXO_CLUSTER_SECRET or pass --secret-file/);
    expect(() => readClusterSecret({ env: {}, secretFile: '/nonexistent/secret' })).toThrow(/--secret-file "\/nonexistent\/secret" cannot be read/);
  });

  it('signs the canonical form: key order does not matter, any change does', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    const signature = sign(keys, { a: 1, b: 'x' });
    expect(verify(keys, { b: 'x', a: 1 }, signature)).toBe(true);
    expect(verify(keys, { b: 'y', a: 1 }, signature)).toBe(false);
    expect(verify(clusterKeys('another secret, long enough'), { a: 1, b: 'x' }, signature)).toBe(false);
    expect(verify(keys, { a: 1, b: 'x' }, 'not hex')).toBe(false);
  });

  it('seals so that the text is unreadable and bound to its context', () => {
    const box = seal(keys, { secret: 'tok-123456789' }, 'run-a');
    expect(box).not.toContain('tok-123456789');
    expect(Buffer.from(box, 'base64').toString('latin1')).not.toContain('tok-123456789');
    expect(unseal(keys, box, 'run-a')).toEqual({ secret: 'tok-123456789' });
    expect(() => unseal(keys, box, 'run-b')).toThrow(ClusterSignatureError);
    const flipped = Buffer.from(box, 'base64');
    flipped[flipped.length - 1] ^= 1;
    expect(() => unseal(keys, flipped.toString('base64'), 'run-a')).toThrow(/altered or sealed with another secret/);
  });

  it('opens a job it signed, and refuses one tampered, too old or from another secret', () => {
    const job = makeJob(keys, 'run-1', { spec, passedEnv: { GH_TOKEN: 'ghp-secretvalue' } });
    expect(JSON.stringify(job)).not.toMatch(/tok-123456789|ghp-secretvalue|echo/);
    expect(openJob(keys, job).spec).toEqual(spec);
    expect(() => openJob(keys, { ...job, processId: 'other' })).toThrow(/signature does not verify/);
    expect(() => openJob(keys, { ...job, runId: 'run-2' })).toThrow(/signature does not verify/);
    expect(() => openJob(clusterKeys('another secret, long enough'), job)).toThrow(/signature does not verify/);
    expect(() => openJob(keys, job, job.issuedAt + 10_000, 5_000)).toThrow(/older than the 5 s replay window/);
    expect(() => openJob(keys, null)).toThrow(ClusterSignatureError);
  });

  it('shows Redis URLs without their password and checks their scheme', () => {
    expect(redactRedisUrl('redis://app:s3cret@cache:6379/0')).toBe('redis://app:[REDACTED]@cache:6379/0');
    expect(redactRedisUrl('rediss://:s3cret@cache:6380')).toBe('rediss://:[REDACTED]@cache:6380');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(() => checkRedisUrl('--redis', 'http://u:s3cret@host')).toThrow('--redis must be a redis:// or rediss:// URL, received "http://u:[REDACTED]@host"');
  });
});
