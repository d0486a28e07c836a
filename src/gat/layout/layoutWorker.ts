/** Worker-thread entry (bundled to dist/layoutWorker.js): one layout job per message. */
import { parentPort } from 'node:worker_threads';
import { runLayoutJob } from './layoutJob';
import type { LayoutRequest, LayoutWorkerReply } from './protocol';

const port = parentPort;
if (port) {
  port.on('message', (request: LayoutRequest) => {
    try {
      const result = runLayoutJob(request, (update) => {
        const progress: LayoutWorkerReply = { type: 'progress', update };
        port.postMessage(progress, [update.x.buffer, update.y.buffer] as ArrayBuffer[]);
      });
      const reply: LayoutWorkerReply = { type: 'done', result };
      port.postMessage(reply, [result.x.buffer, result.y.buffer, result.u.buffer, result.v.buffer, result.thickness.buffer] as ArrayBuffer[]);
    } catch (e) {
      const reply: LayoutWorkerReply = { type: 'error', message: e instanceof Error ? e.message : String(e) };
      port.postMessage(reply);
    }
  });
}
