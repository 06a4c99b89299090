import { servePlugin } from "./provider/plugin";

export * from "./shared-alb";
export * from "./internal/contract";
export { ConfigError, ConfigErrors } from "./internal/errors";
export * from "./cluster-attachment";

// Started as the Pulumi plugin (PulumiPlugin.yaml), the provider serves the
// shipped schema.json and resolves known outputs given to plain inputs.
servePlugin();
