import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/internal";

/** The programs this Pulumi project can run, picked by the `alb-fleet:role` config key. */
export const Roles = ["network", "cluster"] as const;
export type Role = (typeof Roles)[number];

type Program = () => Promise<Record<string, unknown>>;

// Loaded lazily so a network stack never loads the Kubernetes SDK and vice versa.
const programs: Record<Role, Program> = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    network: () => (require("./network") as { networkProgram: Program }).networkProgram(),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cluster: () => (require("./cluster") as { clusterProgram: Program }).clusterProgram(),
};

/** Reads `alb-fleet:role` and runs that program; its result is the stack's outputs. */
export async function runRole(): Promise<Record<string, unknown>> {
    const role = new pulumi.Config("alb-fleet").get("role");
    if (role === undefined || !(Roles as readonly string[]).includes(role)) {
        throw new ConfigError("role", role, `expected one of ${Roles.map(r => JSON.stringify(r)).join(", ")} (config key alb-fleet:role)`);
    }
    return programs[role as Role]();
}
