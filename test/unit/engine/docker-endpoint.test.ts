import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../../src/engine/docker-endpoint.js';
import { EnvironmentError } from '../../../src/errors.js';

describe('resolveEndpoint', () => {
  it('without a host, names what DOCKER_HOST says and leaves parsing to docker-modem, without its idle timeout', () => {
    expect(resolveEndpoint(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({
      endpoint: 'tcp://10.0.0.5:2376',
      modemOptions: { timeout: undefined },
    });
    expect(resolveEndpoint(undefined, { DOCKER_HOST: '10.0.0.5:2375' }).endpoint).toBe('tcp://10.0.0.5:2375');
    expect(resolveEndpoint(undefined, { DOCKER_HOST: 'ssh://ops:secret@staging' }).endpoint).toBe('ssh://ops@staging');
    expect(resolveEndpoint(undefined, {}).endpoint).toMatch(/^unix:\/\/\/.*docker\.sock$/);
  });

  it('a unix host gives a socket path and blanks what the environment would add', () => {
    const { endpoint, modemOptions } = resolveEndpoint('unix:///run/user/1000/docker.sock', { DOCKER_HOST: 'tcp://elsewhere:2375' });
    expect(endpoint).toBe('unix:///run/user/1000/docker.sock');
    expect(modemOptions).toMatchObject({ socketPath: '/run/user/1000/docker.sock', host: undefined, port: undefined, protocol: 'http' });
    expect('timeout' in modemOptions && modemOptions.timeout === undefined).toBe(true);
  });

  it('tcp is https with the certificates of DOCKER_CERT_PATH when TLS is asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-certs-'));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, file), file);
    const tls = resolveEndpoint('tcp://docker.staging:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }).modemOptions;
    expect(tls).toMatchObject({ protocol: 'https', host: 'docker.staging', port: '2376', socketPath: undefined });
    expect(String(tls.ca)).toBe('ca.pem');
    expect(String(tls.key)).toBe('key.pem');
    expect(resolveEndpoint('tcp://docker.staging:2375', {}).modemOptions).toMatchObject({ protocol: 'http', port: '2375' });
    expect(() => resolveEndpoint('tcp://h:2376', { DOCKER_CERT_PATH: join(dir, 'missing') })).toThrow(
      /DOCKER_CERT_PATH=.*ca.pem, cert.pem and key.pem/,
    );
  });

  it('ssh uses the agent and the user of the address', () => {
    expect(resolveEndpoint('ssh://deploy@staging:2222', { SSH_AUTH_SOCK: '/tmp/agent' }).modemOptions).toMatchObject({
      protocol: 'ssh',
      host: 'staging',
      port: '2222',
      username: 'deploy',
      sshOptions: { agent: '/tmp/agent' },
    });
  });

  it('an unsupported scheme is an EnvironmentError', () => {
    expect(() => resolveEndpoint('fd://3', {})).toThrow(EnvironmentError);
    expect(() => resolveEndpoint('fd://3', {})).toThrow('unsupported Docker host "fd://3": use unix://, tcp:// or ssh://');
  });
});
