/**
 * The Glue tables of the CDK stack, registered in the test Trino's metastore exactly as CDK
 * declares them: for a config, the stack's catalog is synthesized from the
 * settings `cdk synth` resolves (infra/pipeline-settings.ts), every `AWS::Glue::Table` of the
 * template is read back, and its TableInput — columns, partition
 * keys, location, SerDe and its parameters, table parameters (partition projection included) —
 * is written into Trino's file metastore as a table of the Hive connector. Trino's Hive connector
 * reads a Glue table the same way (the Glue metastore hands it these very fields), so nothing is
 * re-declared by hand here: a change to infra/nsm-catalog.ts or infra/glue-schema.ts reaches the
 * engine suites by itself, and a SerDe this Trino cannot read fails loudly.
 *
 * Partition projection: the tables keep CDK's `projection.*` parameters and
 * `storage.location.template`, which Trino's Hive connector honours as Athena does (partitions are
 * computed from the query's predicate on `dt`; nothing is registered). Days without objects read as
 * empty (`hive.ignore-absent-partitions`, see trino-server.ts), as in Athena.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { NsmConfig } from '../../../functions/core/config/types';
import { NsmCatalog } from '../../../infra/nsm-catalog';
import { resolveSettings } from '../../../infra/pipeline-settings';
import { CLOUD_CONFIG_FILE, newApp } from '../../unit/infra/synth';
import { TRINO_VERSION } from './tools';

/** The TableInput of an `AWS::Glue::Table` as the template holds it. */
export interface GlueTableInput {
  readonly Name: string;
  readonly TableType?: string;
  readonly PartitionKeys?: readonly { Name: string; Type: string }[];
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly StorageDescriptor: {
    readonly Location: string;
    readonly InputFormat: string;
    readonly OutputFormat: string;
    readonly SerdeInfo: { readonly SerializationLibrary: string; readonly Parameters?: Readonly<Record<string, string>> };
    readonly Columns: readonly { Name: string; Type: string }[];
  };
}

export interface GlueTable {
  readonly database: string;
  readonly input: GlueTableInput;
}

/**
 * Hive storage formats of this Trino, by their (SerDe, input format, output format) triple: the
 * same classes Glue tables name. A table with another triple is refused rather than guessed.
 */
const STORAGE_FORMATS: readonly { name: string; serde: string; input: string; output: string }[] = [
  {
    name: 'OPENX_JSON',
    serde: 'org.openx.data.jsonserde.JsonSerDe',
    input: 'org.apache.hadoop.mapred.TextInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  },
  {
    name: 'PARQUET',
    serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  },
];

/**
 * Every Glue table the stack creates for `config` (which must be a cloud config): the stack's own
 * catalog construct, built from the same resolved settings the stack passes it (the settings carry
 * every prop under the prop's own name), synthesized alone — the whole stack takes ~10 s to
 * synthesize, the catalog well under one.
 */
export function glueTablesOf(config: NsmConfig): GlueTable[] {
  // The Lambda's bundled config file plays no part in the Glue tables; settings only check that
  // one exists, and a test's config has no file of its own.
  const settings = resolveSettings({ config, configFile: CLOUD_CONFIG_FILE, createResultsBucket: false, reserveConcurrency: true });
  const stack = new Stack(newApp(), 'NsmGlueTables');
  new NsmCatalog(stack, 'Catalog', settings);
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Glue::Table')
    .map((r) => ({ database: r.Properties.DatabaseName as string, input: r.Properties.TableInput as GlueTableInput }));
}

/** The Trino storage format of a Glue table (see STORAGE_FORMATS). */
export function trinoStorageFormat(input: GlueTableInput): string {
  const sd = input.StorageDescriptor;
  const found = STORAGE_FORMATS.find(
    (f) => f.serde === sd.SerdeInfo.SerializationLibrary && f.input === sd.InputFormat && f.output === sd.OutputFormat,
  );
  if (!found) {
    throw new Error(
      `Glue table ${input.Name}: SerDe ${sd.SerdeInfo.SerializationLibrary} (${sd.InputFormat}, ${sd.OutputFormat}) has no Hive storage format in the test Trino`,
    );
  }
  return found.name;
}

/**
 * Writes `tables` into the file metastore under `metastoreDir` (Trino's `hive.metastore.catalog.dir`):
 * `.<database>.trinoSchema` per database, `<database>/<table>/.trinoSchema` per table.
 * A table written again replaces the earlier one.
 */
export function registerGlueTables(metastoreDir: string, tables: readonly GlueTable[]): void {
  for (const database of new Set(tables.map((t) => t.database))) {
    mkdirSync(join(metastoreDir, database), { recursive: true });
    writeFileSync(
      join(metastoreDir, `.${database}.trinoSchema`),
      JSON.stringify({ writerVersion: TRINO_VERSION, ownerName: 'nsm-test', ownerType: 'USER', parameters: {} }, null, 2),
    );
  }
  for (const { database, input } of tables) {
    const sd = input.StorageDescriptor;
    const column = (c: { Name: string; Type: string }) => ({ name: c.Name, type: c.Type, properties: {} });
    const folder = join(metastoreDir, database, input.Name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, '.trinoSchema'),
      JSON.stringify(
        {
          // The file metastore refuses files of another Trino version.
          writerVersion: TRINO_VERSION,
          owner: 'nsm-test',
          tableType: input.TableType ?? 'EXTERNAL_TABLE',
          dataColumns: sd.Columns.map(column),
          partitionColumns: (input.PartitionKeys ?? []).map(column),
          parameters: input.Parameters ?? {},
          storageFormat: trinoStorageFormat(input),
          serdeParameters: sd.SerdeInfo.Parameters ?? {},
          externalLocation: sd.Location,
          columnStatistics: {},
        },
        null,
        2,
      ),
    );
  }
}
