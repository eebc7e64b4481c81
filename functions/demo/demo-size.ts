/** The demo lake's default size, on its own so `nsm demo --help` can state it without loading the generator. */
export const DEFAULT_DEMO_EVENTS = 1_000_000;
