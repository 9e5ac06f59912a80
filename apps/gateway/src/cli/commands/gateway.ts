import { credentialsOf, startGateway } from "../../gateway.js";
import { createLogger } from "../../logging.js";
import { checkWebhookSecurity } from "../../webhook-policy.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";

/** `smsc gateway --config gateway.yaml`: runs until the first SIGTERM/Ctrl-C, then shuts down gracefully. */
export async function runGateway(
  context: CliContext,
  interrupted: Promise<void>,
  options: { checkOnly?: boolean } = {},
): Promise<number> {
  const config = await context.config();
  if (options.checkOnly) {
    credentialsOf(config);
    checkWebhookSecurity(config);
    context.output.result({ valid: true }, () => "config is valid");
    return EXIT.ok;
  }
  const logger = createLogger({ level: config.log.level });
  const gateway = await startGateway(config, logger);
  await interrupted;
  logger.info("signal received: stop accepting, finish or release in-flight sends, close stores");
  await gateway.close();
  logger.info("gateway stopped");
  return EXIT.ok;
}
