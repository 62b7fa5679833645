/**
 * Keeping secrets out of logs: values of secret-named environment variables and anything shaped
 * like an Anthropic key.
 */
import { createRedactor, openTailStart, REDACTED, secretName, secretValues } from '../../src/logging/redact';
import { RedactingStream } from '../../src/logging/redacting-stream';

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

describe('secretName (issue 10: names the old heuristic missed, and names that must stay public)', () => {
  const secret = [
    'ANTHROPIC_API_KEY', 'OPENAI_KEY', 'OPENAI_APIKEY', 'DB_PASS', 'MYSQL_PWD', 'GH_PAT', 'SIGNING_KEY', 'STRIPE_SK',
    'GITHUB_TOKEN', 'NPMTOKEN', 'client_secret', 'DB_PASSWORD', 'PGPASSWORD', 'SMTP_PASSWD', 'GPG_PASSPHRASE',
    'GOOGLE_APPLICATION_CREDENTIALS', 'DOCKER_CREDS', 'SSH_PRIVATE_KEY', 'HTTP_AUTH', 'HTTP_AUTHORIZATION', 'OAUTH_CLIENT',
    'AWS_ACCESS_KEY_ID', 'SESSION_COOKIE', 'apiKey', 'signingKey', 'KEY2', 'ENCRYPTION_KEYS', 'AZURE_DEVOPS_PAT',
  ];
  const notSecret = [
    'PATH', 'PWD', 'OLDPWD', 'KEYBOARD', 'XKB_KEYMAP', 'PASSTHROUGH', 'BYPASS_CACHE', 'PATTERN', 'PATCH_LEVEL', 'HOME',
    'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'AUTHORITY', 'TASK', 'DESKTOP_SESSION', 'SKIP', 'MONKEY', 'HOTKEY', 'DATABASE_URL', 'LANG',
  ];
  it.each(secret)('%s is a secret name', (name) => expect(secretName(name)).toBe(true));
  it.each(notSecret)('%s is not a secret name', (name) => expect(secretName(name)).toBe(false));
});

describe('URL credentials, multi-line secrets, open tails (issue 10)', () => {
  it('redacts the password of any URL with credentials, even unknown, and nothing else of it', () => {
    const redact = createRedactor([]);
    expect(redact('connect postgres://app:hunter22@db:5432/prod now')).toBe(`connect postgres://app:${REDACTED}@db:5432/prod now`);
    expect(redact('https://u:p@x.org')).toBe(`https://u:${REDACTED}@x.org`);
    expect(redact('http://host:8080/path@x and ssh://git@github.com')).toBe('http://host:8080/path@x and ssh://git@github.com');
  });

  it('takes the password of a URL in any environment value as a secret, as written and decoded', () => {
    expect(secretValues({ DATABASE_URL: 'mysql://root:p%40ssw0rd!@db/x' }).sort()).toEqual(['p%40ssw0rd!', 'p@ssw0rd!'].sort());
    expect(secretValues({ DATABASE_URL: 'mysql://root:abc@db/x' })).toEqual([]);
  });

  it('redacts each line of a multi-line secret (6 characters or more), whole or printed line by line', () => {
    const pem = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\nabc\n-----END KEY-----\n';
    const redact = createRedactor([pem]);
    expect(redact(`x${pem}y`)).toBe(`x${REDACTED}y`);
    expect(redact('line MIIEvQIBADANBgkqhkiG9w0B\r\nAQEFAASCBKcwggSjAgEAAoIB\nabc')).toBe(`line ${REDACTED}\r\n${REDACTED}\nabc`);
  });

  it('openTailStart holds back what could begin a secret continuing after the text', () => {
    const redact = createRedactor(['0123456789abcdef']);
    expect(openTailStart('x'.repeat(100), redact)).toBe(100 - 15);
    const key = `${'x'.repeat(100)}sk-ant-api03-${'A'.repeat(40)}`;
    expect(openTailStart(key, redact)).toBe(100);
    const url = `${'x'.repeat(100)} postgres://user:hunter`;
    expect(openTailStart(url, createRedactor([]))).toBe(url.indexOf('//'));
    // A cut that would split a known secret moves to its start.
    const split = `${'x'.repeat(100)}0123456789abcdef${'y'.repeat(10)}`;
    expect(openTailStart(split, redact)).toBe(100);
  });
});

describe('RedactingStream: redact before cutting', () => {
  const secret = 'S3CRET-abcdefghijklmnop';
  it.each([95, 180, 190, 199, 205])('finds a secret split across reads and across the release of a long line (secret at %d)', (at) => {
    const stream = new RedactingStream(createRedactor([secret]), { maxHeld: 200 });
    let out = '';
    const text = `${'a'.repeat(at)}${secret}${'b'.repeat(300)}sk-ant-api03-${'K'.repeat(60)}${'.'.repeat(150)}\nend ${secret}\n`;
    for (let i = 0; i < text.length; i += 7) out += stream.push(text.slice(i, i + 7));
    out += stream.flush();
    expect(out).not.toContain('S3CRET');
    expect(out).not.toContain('KKKKKK');
    expect(out).not.toContain('ijklmnop');
    expect(out).toBe(`${'a'.repeat(at)}${REDACTED}${'b'.repeat(300)}${REDACTED}${'.'.repeat(150)}\nend ${REDACTED}\n`);
  });

  it('never releases half of a surrogate pair', () => {
    const stream = new RedactingStream(createRedactor([]), { maxHeld: 10 });
    const parts = [stream.push('😀'.repeat(40))];
    parts.push(stream.flush());
    for (const part of parts) expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    expect(parts.join('')).toBe('😀'.repeat(40));
  });
});
