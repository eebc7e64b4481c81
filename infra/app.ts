/**
 * The CDK app (`npx cdk synth|deploy -c config=FILE`): loads the config the same way the CLI
 * does and builds the stack. A bad config stops here with the loader's one-line message.
 */
import { existsSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { InputError, NsmError } from '../functions/core/errors';
import { loadConfig } from '../functions/wiring/load-config';
import { buildNsmApp, CONTEXT, DEFAULT_CONFIG_FILE, EXAMPLE_CONFIG_FILE } from './build-app';

const app = new App();
const given = app.node.tryGetContext(CONTEXT.config) as string | undefined;
const file = given ?? DEFAULT_CONFIG_FILE;
try {
  // A fresh clone has no nsm.config.yaml: say where to start instead of only that it is missing.
  if (given === undefined && !existsSync(file)) {
    throw new InputError(`config file not found: ${file} (pass -c config=FILE; ${EXAMPLE_CONFIG_FILE} is a template to start from)`);
  }
  buildNsmApp(app, await loadConfig(file, {}));
} catch (error) {
  if (!(error instanceof NsmError)) throw error;
  console.error(`nsm-nightly: ${error.message}`);
  process.exit(2);
}
