import type { Logger } from "pino";

export interface SignalHandling {
  /** Removes the handlers (tests, or once shutdown finished). */
  dispose(): void;
}

/**
 * First SIGTERM/SIGINT: run the graceful shutdown (stop accepting, finish or release in-flight work, close
 * stores) and exit 0 when it is done. A second signal while that runs exits at once: an operator who presses
 * Ctrl-C twice means it.
 */
export function handleShutdownSignals(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): SignalHandling {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now without waiting");
      exit(130);
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down: stop accepting, finish in-flight work, close stores");
    shutdown(signal).then(
      () => {
        logger.info("shutdown complete");
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return {
    dispose() {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    },
  };
}
