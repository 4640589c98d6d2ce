import { describe, expect, it } from 'vitest';
import { dockerMessage, engineError, isAlreadySo, isUnreachable } from '../../../src/engine/docker-errors.js';
import { EnvironmentError } from '../../../src/errors.js';

/** An API error as docker-modem builds it. */
function apiError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });
}

describe('Docker error reading', () => {
  it('socket errors are "unreachable", API answers are not', () => {
    expect(isUnreachable(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isUnreachable(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' })),
    ).toBe(true);
    expect(isUnreachable(apiError(500, 'server error'))).toBe(false);
  });

  it('recognises the "already so" answers of Engine 20.10, and only for the matching action', () => {
    expect(isAlreadySo('start', apiError(304, ''))).toBe(true);
    expect(isAlreadySo('stop', apiError(304, ''))).toBe(true);
    expect(isAlreadySo('kill', apiError(409, 'Cannot kill container: abc: Container abc is not running'))).toBe(true);
    expect(isAlreadySo('pause', apiError(409, 'Container abc is not running'))).toBe(true);
    expect(isAlreadySo('pause', apiError(409, 'Container abc is already paused'))).toBe(true);
    expect(isAlreadySo('unpause', apiError(500, 'Container abc is not paused'))).toBe(true);
    expect(isAlreadySo('disconnect', apiError(500, 'container abc is not connected to the network shop_back'))).toBe(true);
    expect(isAlreadySo('connect', apiError(403, 'endpoint with name shop-web-1 already exists in network shop_back'))).toBe(true);

    expect(isAlreadySo('start', apiError(409, 'cannot start a paused container, try unpause instead'))).toBe(false);
    expect(isAlreadySo('kill', apiError(404, 'No such container: abc'))).toBe(false);
    expect(isAlreadySo('pause', apiError(304, ''))).toBe(false);
    expect(isAlreadySo('start', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  });

  it('keeps Docker message and says what was being done', () => {
    expect(dockerMessage(apiError(404, 'No such container: abc'))).toBe('No such container: abc');
    expect(dockerMessage(new Error('(HTTP code 500) server error - boom '))).toBe('boom');
    expect(engineError('unix:///x.sock', 'pause container shop-web-1', apiError(404, 'No such container: abc')).message).toBe(
      'pause container shop-web-1: No such container: abc',
    );
  });

  it('unreachable becomes an EnvironmentError; an aborted call says it was cancelled', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), { code: 'ECONNREFUSED' });
    const error = engineError('tcp://127.0.0.1:2375', 'list containers', refused);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toBe(
      'Docker is not reachable at tcp://127.0.0.1:2375: connect ECONNREFUSED 127.0.0.1:2375 — ' +
        'start the Docker daemon or set DOCKER_HOST (run `firedrill doctor` to check this machine)',
    );
    expect(error.cause).toBe(refused);
    const controller = new AbortController();
    controller.abort(new Error('drill time limit reached'));
    expect(engineError('unix:///x.sock', 'stop container a', new Error('The operation was aborted'), controller.signal).message).toBe(
      'stop container a: cancelled (drill time limit reached)',
    );
  });
});
