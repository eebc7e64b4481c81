/**
 * Names of the Glue tables over the incremental state (docs/design.md §5), in the config's
 * `lake.athena.database`: the CDK stack creates them (`infra/nsm-catalog.ts`) and the Athena engine
 * reads the state back through them (`SELECT * FROM "<database>"."nsm_state_daily" WHERE "build" IN (…)`).
 * Kept in core, free of CDK, so both sides import the same names.
 *
 * - `daily` is over `<results>/state/daily/<D>.<build>/`: day D's rollup, columns `nsm_day`, `nsm_user`,
 *   `nsm_account`, `nsm_event`, `nsm_n`, then `p__<property>` per summed property.
 * - `entries` is over `<results>/state/entries/<D>.<build>/`: every user's first entry day up to D,
 *   columns `nsm_user`, `nsm_entry_day`.
 */
export const STATE_TABLES = { daily: 'nsm_state_daily', entries: 'nsm_state_entries' } as const;

/**
 * The state tables' partition column: the build folder's name, `<D>.<build>` (`stateBuildName`).
 * Its projection is `injected`, so every query names the builds it reads — the ones the manifests
 * name — and a folder left by an attempt that was killed is never read.
 */
export const STATE_BUILD_COLUMN = 'build';
