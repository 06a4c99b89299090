/**
 * How a component fails on a value it checks once it resolves: on the
 * component itself, with the message the plain value gets.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigErrors, withFixedMessage } from "./errors";

/**
 * Runs `check`; its config errors fail on `component` with the message a
 * plain value gets (no stack trace: a config error, not a bug), however many
 * children the value reaches. Other errors pass as they are.
 */
export function configChecked<T>(component: pulumi.Resource, check: () => T): T {
    try {
        return check();
    } catch (e) {
        throw e instanceof ConfigErrors ? withFixedMessage(new pulumi.ResourceError(e.message, component, /* hideStack */ true)) : e;
    }
}
