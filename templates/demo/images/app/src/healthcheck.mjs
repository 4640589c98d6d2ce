// Docker healthcheck for the app: healthy when /healthz answers 200 within a second.
// The image may have no curl (node:22-slim has none), so node does the asking.
import http from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('no answer within 1s')));
request.on('error', (error) => {
  console.error(`healthcheck: ${error.message}`);
  process.exit(1);
});
