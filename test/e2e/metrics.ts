// Numbers the e2e tests observe (activation time, hover latency), reported in the results file.
// Each test file is bundled on its own, so the store lives on globalThis rather than in module state.
const KEY = '__fluxAzureE2eMetrics';

type Store = Record<string, number>;

function store(): Store {
  const holder = globalThis as unknown as Record<string, Store | undefined>;
  return (holder[KEY] ??= {});
}

export function recordMetric(name: string, value: number): void {
  store()[name] = value;
}

export function metrics(): Store {
  return { ...store() };
}
