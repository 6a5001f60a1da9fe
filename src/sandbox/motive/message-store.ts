// An account's messages as Motive's v2 messages API keeps them: one message per send, from one sender to
// one or more receivers (a bulk send is one message with several receivers [v2-send]), listed back by
// sender within the window the list reaches [v2-list]. Sources: ./writes-vendor.ts.
import { MESSAGE_SENT } from './writes-vendor.ts';

export interface StoredMessage {
  id: number;
  sender_id: number;
  receiver_ids: number[];
  body: string;
  sent_at: string;
  status: string;
}

/** What persists of the messages (part of the account's state file). */
export interface MessageSnapshot {
  next_id: number;
  messages: StoredMessage[];
}

export class MessageStore {
  private readonly messages: StoredMessage[];
  private nextId: number;

  constructor(
    snapshot: MessageSnapshot | undefined,
    private readonly onChange: () => void,
  ) {
    this.nextId = snapshot?.next_id ?? 1;
    this.messages = [...(snapshot?.messages ?? [])];
  }

  snapshot(): MessageSnapshot {
    return { next_id: this.nextId, messages: [...this.messages] };
  }

  /** The send, already validated by the route (sender and receivers exist, body present). */
  send(sender: number, receivers: readonly number[], body: string, nowIso: string): StoredMessage {
    const message: StoredMessage = { id: this.nextId++, sender_id: sender, receiver_ids: [...receivers], body, sent_at: nowIso, status: MESSAGE_SENT };
    this.messages.push(message);
    this.onChange();
    return message;
  }

  /** Messages of a sender sent in [fromMs, toMs], oldest first; with receivers, those sent to every one of them. */
  sentBy(sender: number, receivers: readonly number[] | undefined, fromMs: number, toMs: number): StoredMessage[] {
    return this.messages.filter((m) => {
      const at = Date.parse(m.sent_at);
      return m.sender_id === sender && at >= fromMs && at <= toMs && (receivers ?? []).every((r) => m.receiver_ids.includes(r));
    });
  }

  /** As the send answers it: `recipient_ids` [v2-send]. */
  static renderSent(m: StoredMessage): Record<string, unknown> {
    return { id: String(m.id), sent_at: m.sent_at, sender_id: m.sender_id, recipient_ids: [...m.receiver_ids], body: m.body, attachment: null, location: null, status: m.status };
  }

  /** As the list answers it: `receiver_ids` [v2-list]. */
  static renderListed(m: StoredMessage): Record<string, unknown> {
    return { id: String(m.id), sent_at: m.sent_at, sender_id: m.sender_id, receiver_ids: [...m.receiver_ids], body: m.body, attachment: null, location: null, status: m.status };
  }
}
