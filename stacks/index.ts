// The Pulumi program of project `alb-fleet`: `alb-fleet:role` picks the network
// or the cluster program (see stacks/programs.ts); its result is the stack outputs.
// Exported as a function: the runtime calls it and awaits the result at once,
// so a config error is reported once, as its message, without a warning about
// a promise rejection handled late.
import { runRole } from "./programs";

export = runRole;
