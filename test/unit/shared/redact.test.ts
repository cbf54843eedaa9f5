import assert from 'node:assert/strict';
import { redact } from '../../../shared/log/redact.js';

describe('redact', () => {
  const text: Array<[string, string, string]> = [
    ['hides a bearer token in a header dump', 'Authorization: Bearer abc.def-123', 'Authorization: Bearer <redacted>'],
    ['hides a basic credential', 'authorization=Basic dXNlcjpwdw==', 'authorization=Basic <redacted>'],
    ['hides a kubeconfig token line', 'token: 415396dd20f9', 'token: <redacted>'],
    ['hides a password in JSON text fragments', 'x "password":"hunter2" y', 'x "password":"<redacted>" y'],
    ['hides URL userinfo', 'https://bob:s3cret@example.com/x', 'https://bob:<redacted>@example.com/x'],
    ['leaves ordinary text alone', 'scaled deployment/gloo to 0', 'scaled deployment/gloo to 0'],
  ];
  for (const [title, input, expected] of text) {
    it(title, () => assert.equal(redact(input), expected));
  }

  it('hides a PEM private key block', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
    assert.equal(redact(`key: ${key}`).includes('MIIEow'), false);
  });

  it('hides Secret data and stringData values but keeps the keys', () => {
    const secret = { kind: 'Secret', metadata: { name: 's' }, data: { tls: 'c2VjcmV0' }, stringData: { p: 'x' } };
    assert.deepEqual(redact(secret), {
      kind: 'Secret',
      metadata: { name: 's' },
      data: { tls: '<redacted>' },
      stringData: { p: '<redacted>' },
    });
  });

  it('hides the data of kind-less items inside a SecretList', () => {
    const list = { kind: 'SecretList', items: [{ metadata: { name: 'a' }, data: { k: 'dg==' } }] };
    assert.deepEqual(redact(list).items[0]?.data, { k: '<redacted>' });
  });

  it('hides Secret data inside a JSON response body logged as text', () => {
    const body = JSON.stringify({ kind: 'Secret', data: { release: 'SDRzSUFBQUFBQUFBLzZ' } });
    assert.equal(redact(body).includes('SDRzSUFBQUFBQUFBLzZ'), false);
  });

  it('hides client keys and tokens in a kubeconfig user without mutating the input', () => {
    const user = { name: 'u', user: { 'client-key-data': 'LS0t', token: 'abc' } };
    assert.deepEqual(redact(user), { name: 'u', user: { 'client-key-data': '<redacted>', token: '<redacted>' } });
    assert.equal(user.user.token, 'abc');
  });

  it('leaves a file path that merely ends in a credential word alone, and still redacts the key', () => {
    assert.equal(redact('--cli /etc/passwd: is not an executable file'), '--cli /etc/passwd: is not an executable file');
    assert.equal(redact('passwd: hunter2'), 'passwd: <redacted>');
    assert.equal(redact('password=hunter2&x=1'), 'password=<redacted>&x=1');
  });
});
