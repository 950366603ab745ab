/**
 * How many protocol messages the connection has dispatched so far (counted by the shell, `startup/shell.ts`); always 0
 * where there is no connection (the CLI, unit tests).
 */
let dispatched: () => number = () => 0;

export function countDispatchedMessages(counter: () => number): void {
  dispatched = counter;
}

/**
 * Lets the messages waiting for the connection run before the next slice of work. The protocol library dispatches one
 * queued message per turn of the event loop, so yielding for one turn lets a burst (an editor restoring 1,800 tabs
 * sends 1,800 didOpen notifications at once) through one message per slice, and the work of the slices runs first on
 * files that are already open. This keeps turning while turns dispatch messages, for at most `capMs`.
 */
export async function yieldToMessages(capMs = 50): Promise<void> {
  const start = performance.now();
  for (;;) {
    const before = dispatched();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (dispatched() === before || performance.now() - start >= capMs) return;
  }
}
