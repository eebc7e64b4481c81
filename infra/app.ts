/**
 * The CDK app (`npx cdk synth|deploy -c config=FILE`): loads the config the same way the CLI
 * does and builds the stack. A bad config stops here with the loader's one-line message.
 */
import { App } from 'aws-cdk-lib';
import { NsmError } from '../functions/core/errors';
import { loadConfig } from '../functions/wiring/load-config';
import { buildNsmApp, CONTEXT, DEFAULT_CONFIG_FILE } from './build-app';

const app = new App();
const file = (app.node.tryGetContext(CONTEXT.config) as string | undefined) ?? DEFAULT_CONFIG_FILE;
try {
  buildNsmApp(app, await loadConfig(file, {}));
} catch (error) {
  if (!(error instanceof NsmError)) throw error;
  console.error(`nsm-nightly: ${error.message}`);
  process.exit(2);
}
