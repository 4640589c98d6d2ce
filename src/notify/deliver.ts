import { appendToFile } from './file.js';
import type { DeliverStatusUpdate, StatusChannel } from './status-update.js';
import { postToWebhook, publicTarget } from './webhook.js';

/** The real delivery: over HTTP(S) or into a file, as the channel says. */
export const deliverStatusUpdate: DeliverStatusUpdate = (channel, update, signal) =>
  channel.kind === 'webhook' ? postToWebhook(channel, update, signal) : appendToFile(channel, update, signal);

/** Where an update goes, as the journal and people may see it: never a credential or a query. */
export function targetOf(channel: StatusChannel): string {
  return channel.kind === 'webhook' ? publicTarget(channel.url) : channel.path;
}
