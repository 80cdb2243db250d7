package io.cloudpilot.platform.registry;

/**
 * What an import did with one item of its input (a row of the earlier tool's database, a context of a kubeconfig).
 *
 * @param name     the item's name as the input has it
 * @param imported whether it was stored
 * @param detail   for an imported item how (under which name, auth, TLS mode, replaced); for a skipped one why
 */
public record ImportOutcome(String name, boolean imported, String detail) {
}
