import type { TrainingEvent } from '../../protocol/trainingEvents';

/**
 * Where a run's typed events go: human text on the console (the original's log lines), one
 * JSON object per line (`--progress json`), or IPC messages when the extension forked us.
 */
export interface EventSink {
  emit(event: TrainingEvent): void;
  /** Human-readable progress (the console log); JSON and IPC sinks forward it as 'log' events. */
  info(message: string): void;
}

/**
 * The original's console log. `logEvery` counts epochs (Cora) or batches (PPI, as pytorch-GAT's PPI
 * script does; every epoch's summary is printed too); undefined takes the recipe's from the start event.
 */
export function textSink(write: (s: string) => void, logEvery?: number): EventSink {
  let every = logEvery ?? 100;
  let metric = 'acc';
  let batched = false;
  return {
    emit(e) {
      switch (e.type) {
        case 'start':
          every = logEvery ?? (e.batchesPerEpoch && e.batchesPerEpoch > 1 ? 10 : 100);
          metric = e.metric === 'micro-F1' ? 'micro-F1' : 'acc';
          batched = (e.batchesPerEpoch ?? 1) > 1;
          write(`Training ${e.model === 'gatv2' ? 'GATv2' : 'GAT'} on ${e.dataset} with back end ${e.backend}: run ${e.runId}${e.resumedFromEpoch !== null ? `, resumed after epoch ${e.resumedFromEpoch}` : ''}\n`);
          return;
        case 'batch':
          if (e.batch % every === 0) write(`GAT training: epoch=${e.epoch + 1} | batch=${e.batch + 1}/${e.batches} | train loss=${e.loss.toFixed(4)} ${metric}=${e.acc.toFixed(4)}\n`);
          return;
        case 'epoch':
          if (batched || e.epoch % every === 0) {
            write(`GAT training: epoch=${String(e.epoch + 1).padStart(4)} | train loss=${e.trainLoss.toFixed(4)} ${metric}=${e.trainAcc.toFixed(4)} | val loss=${e.valLoss.toFixed(4)} ${metric}=${e.valAcc.toFixed(4)} | ${e.ms.toFixed(1)} ms\n`);
          }
          return;
        case 'checkpoint':
          write(`checkpoint: ${e.path}\n`);
          return;
        case 'done':
          write(`${e.status} after ${e.epochs} epochs in ${e.wallSeconds.toFixed(1)} s: best val ${metric} ${e.bestValAcc.toFixed(4)}${e.testAcc !== null ? `, test ${metric} ${e.testAcc.toFixed(4)}` : ''}\n`);
          if (e.binaryPath) write(`model: ${e.binaryPath}\n`);
          write(`run: ${e.runDir}\n`);
          return;
        case 'log':
          write(`${e.message}\n`);
          return;
        case 'error':
          return; // printed once by the CLI's error handler
      }
    },
    info(message) {
      write(`${message}\n`);
    },
  };
}

export function jsonLinesSink(write: (s: string) => void): EventSink {
  return {
    emit: (e) => write(JSON.stringify(e) + '\n'),
    info: (message) => write(JSON.stringify({ type: 'log', level: 'info', message }) + '\n'),
  };
}

/** IPC to the extension host, plus the human log on stdout (the extension's output channel shows it). */
export function ipcSink(send: (message: unknown) => void, console: EventSink): EventSink {
  return {
    emit(e) {
      send(e);
      console.emit(e);
    },
    info(message) {
      console.info(message);
    },
  };
}
