import type { HostToWebview } from '../../protocol/webviewMessages';

/** Calls `handle` with each message of `type` the host posts; returns what removes the listener. */
export function onHostMessage<K extends HostToWebview['type']>(type: K, handle: (message: Extract<HostToWebview, { type: K }>) => void): () => void {
  const listener = (event: MessageEvent<HostToWebview>): void => {
    if (event.data?.type === type) handle(event.data as Extract<HostToWebview, { type: K }>);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

/** Calls `render` once the window has stopped resizing for `ms` (a drag fires dozens of events). */
export function onResizeSettled(render: () => void, ms = 100): () => void {
  let timer: number | undefined;
  const listener = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, ms);
  };
  window.addEventListener('resize', listener);
  return () => {
    window.clearTimeout(timer);
    window.removeEventListener('resize', listener);
  };
}
