export * from "./shared-alb";
export * from "./internal/contract";
export { ConfigError, ConfigErrors } from "./internal/errors";
export * from "./cluster-attachment";
