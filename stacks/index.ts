// The Pulumi program of project `alb-fleet`: `alb-fleet:role` picks the network
// or the cluster program (see stacks/programs.ts); its result is the stack outputs.
import { runRole } from "./programs";

export = runRole();
