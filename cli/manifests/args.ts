import { CommandSpec } from "../args";

/** `shared-alb manifests --help` text. */
export const ManifestsUsage = `Usage: shared-alb manifests --out DIR (--network-outputs FILE | --allow-planned) [--config-dir DIR] [--stack NAME]

Plans the fleet offline (like 'shared-alb plan') and writes, for each cluster
stack, its Kubernetes objects and controller Helm values as YAML files into
DIR/<stack>/, for GitOps tools (Argo CD, Flux) that apply them.

Options:
  --out DIR                directory to write into: new, empty, or written by an earlier
                           run (it lists its files in DIR/.shared-alb-manifests and
                           replaces only those)
  --network-outputs FILE   the deployed network stack's outputs ('pulumi stack output --json
                           --show-secrets -s network'), served to the cluster stacks: the
                           files carry the real target group and registrar role ARNs
  --allow-planned          without --network-outputs: write the offline plan's placeholder
                           ARNs, each file headed PLACEHOLDER (to review, not to apply)
  --config-dir DIR         directory of the stack config files (default: stacks/config)
  --stack NAME             only this cluster stack
  -h, --help               show this help

Exit codes: 0 written, 1 a config, program or file error (nothing written), 2 usage error.
`;

/** `shared-alb manifests`: what it accepts. */
export const ManifestsCommand: CommandSpec = {
    name: "manifests",
    summary: "write each cluster's Kubernetes objects and Helm values as YAML, for GitOps",
    usage: ManifestsUsage,
    options: [
        { name: "out", value: "DIR" },
        { name: "network-outputs", value: "FILE" },
        { name: "allow-planned" },
        { name: "config-dir", value: "DIR" },
        { name: "stack", value: "NAME" },
    ],
    inputErrorExit: 1,
};
