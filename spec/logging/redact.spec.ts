/**
 * Keeping secrets out of logs: values of secret-named environment variables and anything shaped
 * like an Anthropic key.
 */
import { createRedactor, REDACTED, secretValues } from '../../src/logging/redact';

describe('secretValues', () => {
  it('takes the values of variables whose names say they are secret', () => {
    const env = {
      ANTHROPIC_API_KEY: 'sk-ant-api03-xyz',
      OPENAI_APIKEY: 'abcdefgh',
      GITHUB_TOKEN: 'ghp_123456',
      DB_PASSWORD: 'hunter22',
      client_secret: 'lower-case-name',
      HTTP_AUTH: 'Basic abcdef',
      AWS_CREDENTIALS: 'credential-value',
      SSH_PRIVATE_KEY: 'private-key-value',
      HOME: '/root',
      PATH: '/usr/bin:/bin',
      UNSET_TOKEN: undefined,
    };
    expect(secretValues(env).sort()).toEqual(
      [
        'sk-ant-api03-xyz', 'abcdefgh', 'ghp_123456', 'hunter22', 'lower-case-name', 'Basic abcdef',
        'credential-value', 'private-key-value',
      ].sort(),
    );
  });

  it('ignores values shorter than 6 characters, too likely to be ordinary words', () => {
    expect(secretValues({ API_KEY: 'short', TOKEN: '1', SECRET: '' })).toEqual([]);
  });
});

describe('createRedactor', () => {
  it('replaces every occurrence of each secret', () => {
    const redact = createRedactor(['topsecret1', 'another-secret']);
    expect(redact('a topsecret1 b another-secret c topsecret1')).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const redact = createRedactor(['abcdefgh', 'abcdefghijkl']);
    expect(redact('x abcdefghijkl y abcdefgh')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it('treats regular-expression characters in secrets literally', () => {
    const redact = createRedactor(['a.b*c+(d)[e]$^|\\']);
    expect(redact('keep aXbbc; drop a.b*c+(d)[e]$^|\\ now')).toBe(`keep aXbbc; drop ${REDACTED} now`);
  });

  it('redacts anything shaped like an Anthropic key, even when not a known secret', () => {
    const redact = createRedactor([]);
    expect(redact('key=sk-ant-api03-AbC_12-xyz, done')).toBe(`key=${REDACTED}, done`);
    expect(redact('sk-ant-abc is too short to be a key')).toBe('sk-ant-abc is too short to be a key');
  });

  it('leaves text without secrets unchanged', () => {
    expect(createRedactor(['secret-value'])('nothing to hide\n')).toBe('nothing to hide\n');
  });

  it('ignores an empty secret instead of redacting between every character', () => {
    expect(createRedactor(['', 'secret-value'])('hello secret-value')).toBe(`hello ${REDACTED}`);
  });
});
