import { CommandSpec } from "../args";

/** `shared-alb review --help` text. */
export const ReviewUsage = `Usage: shared-alb review PREVIEW.json [PREVIEW.json ...] [--max-shift N] [--json]

Judges what the real engine will do: reads the output of
  pulumi preview --json --show-sames --show-replacement-steps -s STACK > PREVIEW.json
(one file per stack; any program, in any language, that uses the components)
and runs the checks of \`plan --compare\` on the steps the engine will take:
what each stack creates, updates, replaces and deletes, and the changes that
hurt a fleet serving traffic, with the reason and the safe way. Several files
are judged together (the network stack with its cluster stacks).

Options:
  --max-shift N   flag a forward action that moves a target group's share of
                  the traffic by more than N percentage points (default: no limit)
  --json          print the comparison as JSON on stdout, nothing else
  -h, --help      show this help

Exit codes: 0 nothing flagged, 1 a file that cannot be read or is not such a
preview (nothing on stdout), 2 usage error, 3 something flagged.
`;

/** `shared-alb review`: what it accepts. */
export const ReviewCommand: CommandSpec = {
    name: "review",
    summary: "check a `pulumi preview --json` of the stacks for changes that hurt traffic",
    usage: ReviewUsage,
    options: [{ name: "max-shift", value: "N" }, { name: "json" }],
    operands: "PREVIEW.json",
    inputErrorExit: 1,
};
