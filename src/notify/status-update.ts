/**
 * A customer status update, the way a team posts one to its status page, and the port it is
 * delivered through. The notify step only knows this port, so tests can deliver without a
 * network; webhook.ts and file.ts are the real channels.
 */

/** The usual status-page vocabulary, in the order an incident goes through it. */
export const STATUS_VALUES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type StatusValue = (typeof STATUS_VALUES)[number];

/** Exactly what is posted to a webhook or appended to a file, as JSON. Documented; keep it stable. */
export interface StatusUpdate {
  /** The playbook's name. */
  drill: string;
  runId: string;
  status: StatusValue;
  message: string;
  /** Wall-clock UTC time (ISO 8601) the update was handed to the channel. */
  sentAt: string;
}

export type StatusChannel =
  | { kind: 'webhook'; url: string; headers: Record<string, string>; timeoutMs: number }
  /** `path` is where it is written; `given` is the file as the playbook named it, which is what is shown. */
  | { kind: 'file'; path: string; given: string };

export interface DeliveryResult {
  ok: boolean;
  /** Requests made (webhook) or writes tried (file); 0 when nothing was tried. */
  attempts: number;
  /** The last HTTP status answered, for a webhook that answered at all. */
  httpStatus?: number;
  /** Why it was not delivered. Never holds a header value. */
  error?: string;
}

/** Delivers one update; resolves with the outcome, never rejects for a failed delivery. */
export type DeliverStatusUpdate = (channel: StatusChannel, update: StatusUpdate, signal: AbortSignal) => Promise<DeliveryResult>;
