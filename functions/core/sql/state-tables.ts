/**
 * Names of the Glue tables over the incremental state (docs/design.md §5), in the config's
 * `lake.athena.database`: the CDK stack creates them (`infra/nsm-catalog.ts`) and the Athena engine
 * reads the state back through them (`SELECT * FROM "<database>"."nsm_state_daily" WHERE "dt" IN (…)`).
 * Kept in core, free of CDK, so both sides import the same names.
 *
 * - `daily` is over `<results>/state/daily/dt=D/`: day D's rollup, columns `nsm_day`, `nsm_user`,
 *   `nsm_account`, `nsm_event`, `nsm_n`, then `p__<property>` per summed property.
 * - `entries` is over `<results>/state/entries/dt=D/`: every user's first entry day up to D,
 *   columns `nsm_user`, `nsm_entry_day`.
 */
export const STATE_TABLES = { daily: 'nsm_state_daily', entries: 'nsm_state_entries' } as const;
