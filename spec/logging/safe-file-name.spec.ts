/**
 * Process ids as file names: inside their directory, never shared by two ids.
 */
import { FileNameRegistry, registryFor, safeFileName } from '../../src/logging/safe-file-name';

const SAFE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

describe('safeFileName', () => {
  it.each(['build', 'step-1', 'a_b', 'v1.2.3', '-dash', 'A'.repeat(100)])('keeps the safe id %s as it is', (id) => {
    expect(safeFileName(id)).toBe(id);
  });

  it.each([
    ['../x', '^__x-[0-9a-f]{10}$'],
    ['a/b', '^a_b-[0-9a-f]{10}$'],
    ['..', '^_-[0-9a-f]{10}$'],
    ['.', '^_-[0-9a-f]{10}$'],
    ['.hidden', '^_hidden-[0-9a-f]{10}$'],
    ['', '^process-[0-9a-f]{10}$'],
    ['session', '^session-[0-9a-f]{10}$'],
    ['Summary', '^Summary-[0-9a-f]{10}$'],
    ['joblog', '^joblog-[0-9a-f]{10}$'],
    ['with space', '^with_space-[0-9a-f]{10}$'],
    ['ünïcode', '^_n_code-[0-9a-f]{10}$'],
    ['nul\0byte', '^nul_byte-[0-9a-f]{10}$'],
  ])('turns the unsafe id %j into a safe name with a hash', (id, shape) => {
    const name = safeFileName(id);
    expect(name).toMatch(new RegExp(shape));
    expect(name).toMatch(SAFE);
  });

  it('cuts a long id to 100 characters plus a hash', () => {
    const name = safeFileName('x'.repeat(5000));
    expect(name).toMatch(/^x{100}-[0-9a-f]{10}$/);
    expect(safeFileName('x'.repeat(101))).toMatch(/^x{100}-[0-9a-f]{10}$/);
  });

  it('gives different names to ids that reduce to the same characters', () => {
    const names = ['a/b', 'a:b', 'a b', 'a_b', 'x'.repeat(5000), 'x'.repeat(5001)].map(safeFileName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is stable: the same id always gives the same name', () => {
    expect(safeFileName('a/b')).toBe(safeFileName('a/b'));
  });
});

describe('FileNameRegistry', () => {
  it('hands out one name per id, the same each time it is asked', () => {
    const registry = new FileNameRegistry();
    expect(registry.nameFor('build')).toBe('build');
    expect(registry.nameFor('build')).toBe('build');
    expect(registry.nameFor('a/b')).toBe(safeFileName('a/b'));
  });

  it('numbers a name another id already took', () => {
    const registry = new FileNameRegistry();
    const unsafe = registry.nameFor('a/b'); // a_b-<hash>
    expect(registry.nameFor(unsafe)).toBe(`${unsafe}-2`); // a safe id spelled like it
    expect(registry.nameFor(`${unsafe}-2`)).toBe(`${unsafe}-2-2`);
  });

  it('gives every id of a mixed set its own name', () => {
    const registry = new FileNameRegistry();
    const ids = ['../x', 'a/b', '..', '', 'x'.repeat(5000), 'session', 'x', '_x', 'a_b'];
    const names = ids.map((id) => registry.nameFor(id));
    expect(new Set(names).size).toBe(ids.length);
    for (const name of names) expect(name).toMatch(SAFE);
  });
});

describe('registryFor', () => {
  it('shares one registry per directory, however the path is spelled', () => {
    expect(registryFor('/tmp/rxo-logs')).toBe(registryFor('/tmp/./rxo-logs/'));
    expect(registryFor('/tmp/rxo-logs')).not.toBe(registryFor('/tmp/rxo-other'));
  });
});
