import { CommandSpec } from "../args";

/** `shared-alb plan --help` text. */
export const PlanUsage = `Usage: shared-alb plan [--config-dir DIR] [--stack NAME] [--json]
                         [--compare BEFORE.json ... [--max-shift N]]

Plans the whole fleet offline: every Pulumi.<stack>.yaml of the config
directory runs under the Pulumi mock runtime (no cloud account needed), the
network stacks first, their planned outputs served to the cluster stacks'
stack references.

Options:
  --config-dir DIR        directory of the stack config files (default: stacks/config)
  --stack NAME            plan and print only this stack (plus the network stack it reads)
  --json                  print the plan (or the comparison) as JSON on stdout, nothing else
  --compare BEFORE.json   compare the plan with an earlier \`plan --json\` or a
                          \`pulumi stack export\` (one stack per export; repeat the option):
                          what each stack creates, updates, replaces and deletes, and
                          the changes that hurt, with the reason and the safe way
  --max-shift N           with --compare: flag a forward action that moves a target
                          group's share of the traffic by more than N percentage
                          points (default: no limit)
  -h, --help              show this help

Exit codes: 0 planned (with --compare: nothing flagged), 1 a config or program
error or an unreadable BEFORE (nothing on stdout), 2 usage error, 3 with
--compare: something flagged.
`;

/** `shared-alb plan`: what it accepts. */
export const PlanCommand: CommandSpec = {
    name: "plan",
    summary: "plan the whole fleet offline (Pulumi mock runtime, no cloud account)",
    usage: PlanUsage,
    options: [
        { name: "config-dir", value: "DIR" },
        { name: "stack", value: "NAME" },
        { name: "json" },
        { name: "compare", value: "BEFORE.json", repeatable: true },
        { name: "max-shift", value: "N" },
    ],
    inputErrorExit: 1,
};

/** The config directory `plan` and `manifests` read unless `--config-dir` names another. */
export const DefaultConfigDir = "stacks/config";
