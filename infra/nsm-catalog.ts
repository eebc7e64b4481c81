/**
 * What Athena needs to query the lake and the results: a Glue database, the events table over
 * the lake, four tables over the results layout (docs/design.md §3) and two over the incremental
 * state (docs/design.md §5), all with partition projection so no crawler or `MSCK REPAIR` is ever
 * needed — on the day, or for the state on the build folder (`injected`: each query names the
 * builds its manifests name) — and the Athena workgroup.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { RESULTS_FOLDERS, stateKindFolder } from '../functions/core/results/layout';
import { STATE_BUILD_COLUMN, STATE_TABLES } from '../functions/core/sql/state-tables';
import {
  ALERTS_COLUMNS,
  CANDIDATES_COLUMNS,
  type GlueColumn,
  METRICS_COLUMNS,
  SEGMENTS_COLUMNS,
  STATE_ENTRIES_COLUMNS,
  SWEEP_COLUMNS,
} from './glue-schema';
import { RESULTS_TABLES } from './pipeline-settings';
import { type S3Location, s3Url } from './s3-uri';

export interface NsmCatalogProps {
  readonly database: string;
  readonly eventsTable: string;
  readonly lake: S3Location;
  readonly lakeFormat: 'json' | 'parquet';
  /** The lake's partition key (lower case), e.g. `dt`. */
  readonly partition: string;
  readonly eventColumns: readonly GlueColumn[];
  readonly results: S3Location;
  /** Columns of `nsm_state_daily` (see `stateDailyColumns`). */
  readonly stateDailyColumns: readonly GlueColumn[];
  /** The lake's first day (`lake.first_day`): where every table's partition projection starts. */
  readonly firstDay: string;
  readonly workgroup: string;
  readonly bytesScannedCutoff: number;
}

/** Hive SerDe and formats per storage format. */
const FORMATS = {
  // OpenX rather than Hive's own JSON SerDe: it reads nested objects into structs and tolerates
  // keys the table does not declare.
  json: {
    serde: 'org.openx.data.jsonserde.JsonSerDe',
    input: 'org.apache.hadoop.mapred.TextInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  },
  parquet: {
    serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  },
} as const;

/** The newest day partition projection offers: tomorrow in UTC, at query time. */
export const PROJECTION_END = 'NOW+1DAYS';

/** The database every account's Glue catalog has, which Athena looks up whatever the query. */
const DEFAULT_DATABASE = 'default';

/** The Athena workgroup's result folder, below the results prefix. */
export const ATHENA_RESULTS_FOLDER = `${RESULTS_FOLDERS.athenaResults}/`;

export class NsmCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly eventsTable: CfnTable;
  readonly metricsTable: CfnTable;
  readonly segmentsTable: CfnTable;
  readonly candidatesTable: CfnTable;
  readonly sweepTable: CfnTable;
  readonly alertsTable: CfnTable;
  readonly stateDailyTable: CfnTable;
  readonly stateEntriesTable: CfnTable;
  readonly workgroup: CfnWorkGroup;
  /** `arn:…:athena:region:account:workgroup/name`, for IAM. */
  readonly workgroupArn: string;
  /** ARNs of the Glue catalog, the `default` database, the database and its seven tables, for IAM. */
  readonly glueArns: readonly string[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: NsmCatalogProps,
  ) {
    super(scope, id);

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: props.database, description: 'nsm-nightly: product events and nightly results' },
    });

    this.eventsTable = this.table('EventsTable', {
      name: props.eventsTable,
      description: 'Product events of the lake, one JSON object or Parquet row per event',
      location: props.lake,
      format: props.lakeFormat,
      partition: props.partition,
      columns: props.eventColumns,
      // The OpenX SerDe fails the whole query on one line that is not valid JSON (its default is
      // FALSE); with TRUE it reads that line as a row of NULLs, which no metric counts and the night
      // reports as malformed_rows — as the local engine does
      // (https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html).
      serdeParameters: props.lakeFormat === 'json' ? { 'ignore.malformed.json': 'TRUE' } : undefined,
    });
    // A folder of the results layout (functions/core/results/layout.ts), as a location of its own.
    const results = (folder: string): S3Location => {
      const sub = folder.replace(/\/$/, '');
      return { bucket: props.results.bucket, prefix: props.results.prefix ? `${props.results.prefix}/${sub}` : sub };
    };
    this.metricsTable = this.table('MetricsTable', {
      name: RESULTS_TABLES.metrics,
      description: 'nsm-nightly metrics.jsonl: one row per metric per night',
      location: results(RESULTS_FOLDERS.metrics),
      format: 'json',
      partition: 'dt',
      columns: METRICS_COLUMNS,
    });
    this.segmentsTable = this.table('SegmentsTable', {
      name: RESULTS_TABLES.segments,
      description: 'nsm-nightly segments.jsonl: one row per watched metric, dimension and segment per night (config: segments)',
      location: results(RESULTS_FOLDERS.segments),
      format: 'json',
      partition: 'dt',
      columns: SEGMENTS_COLUMNS,
    });
    this.candidatesTable = this.table('CandidatesTable', {
      name: RESULTS_TABLES.candidates,
      description: 'nsm-nightly candidates.jsonl: one row per candidate action per night',
      location: results(RESULTS_FOLDERS.candidates),
      format: 'json',
      partition: 'dt',
      columns: CANDIDATES_COLUMNS,
    });
    this.sweepTable = this.table('SweepTable', {
      name: RESULTS_TABLES.sweep,
      description: 'nsm-nightly sweep.jsonl: one row per (candidate action, threshold cell) per night',
      location: results(RESULTS_FOLDERS.sweep),
      format: 'json',
      partition: 'dt',
      columns: SWEEP_COLUMNS,
    });
    this.alertsTable = this.table('AlertsTable', {
      name: RESULTS_TABLES.alerts,
      description: 'nsm-nightly alerts.jsonl: one row per alert sent',
      location: results(RESULTS_FOLDERS.alerts),
      format: 'json',
      partition: 'dt',
      columns: ALERTS_COLUMNS,
    });
    // The state is Parquet written by the night's UNLOAD (Athena) or COPY (DuckDB), one folder per
    // build (`<day>.<build>/`); its manifests live under state/manifests/, outside these folders, so
    // the tables read Parquet files only. The partition is the build folder, projected as
    // `injected`: Athena reads only the folders a query names, so a folder a killed attempt left
    // (never named by a manifest) is never read, and there is no range to keep up to date.
    this.stateDailyTable = this.table('StateDailyTable', {
      name: STATE_TABLES.daily,
      description: 'nsm-nightly incremental state: per-day rollups (user, account, event, count, sums); rebuilt from the lake when missing',
      location: results(stateKindFolder('daily')),
      format: 'parquet',
      partition: STATE_BUILD_COLUMN,
      projection: 'injected',
      columns: props.stateDailyColumns,
    });
    this.stateEntriesTable = this.table('StateEntriesTable', {
      name: STATE_TABLES.entries,
      description:
        "nsm-nightly incremental state: every user's first entry day, one snapshot per night; rebuilt from the lake when missing",
      location: results(stateKindFolder('entries')),
      format: 'parquet',
      partition: STATE_BUILD_COLUMN,
      projection: 'injected',
      columns: STATE_ENTRIES_COLUMNS,
    });

    this.workgroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workgroup,
      description: 'nsm-nightly: queries of the nightly run',
      state: 'ENABLED',
      // Lets `cdk destroy` remove the workgroup although it has a query history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot pick another output location, skip encryption or lift the cutoff.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: s3Url(props.results, ATHENA_RESULTS_FOLDER),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    const stack = Stack.of(this);
    this.workgroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workgroup });
    const glue = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName });
    // Athena's fine-grained Glue access needs GetDatabase on the account's `default` database too
    // (https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html).
    this.glueArns = [
      glue('catalog'),
      ...[...new Set([DEFAULT_DATABASE, props.database])].map((db) => glue('database', db)),
      ...[props.eventsTable, ...Object.values(RESULTS_TABLES), ...Object.values(STATE_TABLES)].map((t) =>
        glue('table', `${props.database}/${t}`),
      ),
    ];
  }

  private table(
    id: string,
    t: {
      name: string;
      description: string;
      location: S3Location;
      format: 'json' | 'parquet';
      partition: string;
      /** `day` (default): `<key>=YYYY-MM-DD/` folders from the lake's first day; `injected`: `<value>/` folders named by each query. */
      projection?: 'day' | 'injected';
      columns: readonly GlueColumn[];
      /** SerDe parameters, if any. */
      serdeParameters?: Readonly<Record<string, string>> | undefined;
    },
  ): CfnTable {
    const fmt = FORMATS[t.format];
    const key = t.partition;
    const projection =
      t.projection === 'injected'
        ? {
            // https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html
            [`projection.${key}.type`]: 'injected',
            'storage.location.template': s3Url(t.location, `\${${key}}/`),
          }
        : {
            [`projection.${key}.type`]: 'date',
            [`projection.${key}.format`]: 'yyyy-MM-dd',
            // From the lake's first day (results are never older) to tomorrow: NOW is UTC at query
            // time, and a night in a zone ahead of UTC may read a day UTC has not reached.
            [`projection.${key}.range`]: `${this.props.firstDay},${PROJECTION_END}`,
            [`projection.${key}.interval`]: '1',
            [`projection.${key}.interval.unit`]: 'DAYS',
            'storage.location.template': s3Url(t.location, `${key}=\${${key}}/`),
          };
    const table = new CfnTable(this, id, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.props.database,
      tableInput: {
        name: t.name,
        description: t.description,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: key, type: 'string' }],
        parameters: {
          EXTERNAL: 'TRUE',
          classification: t.format,
          // Partition projection: Athena computes the day folders from the query's predicate
          // instead of listing partitions in Glue (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
          'projection.enabled': 'true',
          ...projection,
        },
        storageDescriptor: {
          location: s3Url(t.location),
          inputFormat: fmt.input,
          outputFormat: fmt.output,
          serdeInfo: { serializationLibrary: fmt.serde, ...(t.serdeParameters ? { parameters: { ...t.serdeParameters } } : {}) },
          columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
        },
      },
    });
    table.node.addDependency(this.database);
    return table;
  }
}
