import { CommandSpec } from "../args";

/** `shared-alb plan --help` text. */
export const PlanUsage = `Usage: shared-alb plan [--config-dir DIR] [--stack NAME] [--json]

Plans the whole fleet offline: every Pulumi.<stack>.yaml of the config
directory runs under the Pulumi mock runtime (no cloud account needed), the
network stacks first, their planned outputs served to the cluster stacks'
stack references.

Options:
  --config-dir DIR  directory of the stack config files (default: stacks/config)
  --stack NAME      plan and print only this stack (plus the network stack it reads)
  --json            print the plan as JSON on stdout, nothing else
  -h, --help        show this help

Exit codes: 0 planned, 1 a config or program error (nothing on stdout), 2 usage error.
`;

/** `shared-alb plan`: what it accepts. */
export const PlanCommand: CommandSpec = {
    name: "plan",
    summary: "plan the whole fleet offline (Pulumi mock runtime, no cloud account)",
    usage: PlanUsage,
    options: [{ name: "config-dir", value: "DIR" }, { name: "stack", value: "NAME" }, { name: "json" }],
    inputErrorExit: 1,
};

/** The config directory `plan` and `manifests` read unless `--config-dir` names another. */
export const DefaultConfigDir = "stacks/config";
