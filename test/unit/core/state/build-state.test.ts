/**
 * `StateBuilder.rollups` when one build of a batch fails while others still run: the failure ends
 * the batch, and every build that completes is still recorded (run.json lists what a failed night
 * built, and the manifests say the same).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import type { StateCapability } from '../../../../functions/core/engine';
import { QueryError } from '../../../../functions/core/errors';
import { stateBuildFolder, stateManifestKey } from '../../../../functions/core/results/layout';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { StateBuilder } from '../../../../functions/core/state/build-state';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { MemoryResultStore } from '../../../support/memory-store';

const config = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');
const SLOW = '2024-06-10';
const FAILS = '2024-06-11';

describe('StateBuilder.rollups', () => {
  it('records a build that completes after another build of its batch failed', async () => {
    const store = new MemoryResultStore();
    const state: StateCapability = {
      sql: {
        target: (kind, day, build) => `${stateBuildFolder(kind, day, build)}data.parquet`,
        relation: () => 'r',
        materialize: (select) => select,
      },
      materialize: async (query, _kind, day) => {
        if (day === FAILS) throw new QueryError(query.name, "stopped at the night's deadline");
        // Still running when the other build fails.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { stats: { name: query.name, query_id: 'q-slow', ms: 50, bytes_scanned: 10, rows: 0 }, rowsWritten: null, build: 'b1' };
      },
    };
    const builder = new StateBuilder(config, '2024-06-12', {
      state,
      dialect: duckdbDialect(),
      store,
      now: () => new Date('2024-06-13T00:00:00Z'),
      warn: () => undefined,
    });
    await expect(builder.rollups([SLOW, FAILS])).rejects.toThrow(/deadline/);
    expect(builder.stats.map((s) => s.name)).toEqual([`rollup ${SLOW}`]);
    expect(JSON.parse(store.text(stateManifestKey('daily', SLOW))!)).toMatchObject({ build: 'b1' });
  });
});
