import { appendToFile } from './file.js';
import type { DeliverStatusUpdate, StatusChannel } from './status-update.js';
import { publicTarget } from './public-target.js';
import { postToWebhook } from './webhook.js';

/** The real delivery: over HTTP(S) or into a file, as the channel says. */
export const deliverStatusUpdate: DeliverStatusUpdate = (channel, update, signal) =>
  channel.kind === 'webhook' ? postToWebhook(channel, update, signal) : appendToFile(channel, update, signal);

/**
 * Where an update goes, as the journal and people may see it: a webhook's host and a fingerprint
 * of the rest (never its path, query or credentials), or the file as the playbook named it
 * (never the run directory it was put in).
 */
export function targetOf(channel: StatusChannel): string {
  return channel.kind === 'webhook' ? publicTarget(channel.url) : channel.given;
}
