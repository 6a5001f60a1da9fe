// A typed in-process event bus over node:events: the event map names every event and its payload, so
// an emitter and its listeners cannot disagree (graphile-worker's WorkerEventMap is the model).
import { EventEmitter } from 'node:events';

export class TypedEmitter<M extends { [K in keyof M]: unknown }> {
  private readonly inner = new EventEmitter();

  constructor() {
    // Workers, webhook loops, metrics and tests all listen; none of them is a leak.
    this.inner.setMaxListeners(100);
  }

  emit<K extends keyof M & string>(name: K, payload: M[K]): void {
    this.inner.emit(name, payload);
  }

  on<K extends keyof M & string>(name: K, listener: (payload: M[K]) => void): () => void {
    this.inner.on(name, listener);
    return () => this.inner.off(name, listener);
  }
}
