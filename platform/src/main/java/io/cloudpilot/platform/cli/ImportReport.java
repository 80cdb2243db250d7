package io.cloudpilot.platform.cli;

import java.io.PrintWriter;
import java.util.List;

import io.cloudpilot.platform.registry.ImportOutcome;

/** The report of an import: one line per item, imported or skipped with the reason, then the counts. */
final class ImportReport {

    private ImportReport() {
    }

    /**
     * @param outcomes what happened to each item
     * @param items    what the items are, e.g. {@code row(s)}, {@code context(s)}
     * @param checked  whether the clusters were checked before being stored
     * @param out      where the report goes
     * @return 0 when everything was imported, 3 when something was skipped
     */
    static int print(List<ImportOutcome> outcomes, String items, boolean checked, PrintWriter out) {
        int width = outcomes.stream().mapToInt(o -> o.name().length()).max().orElse(4);
        for (ImportOutcome o : outcomes) {
            out.printf("  %-8s  %-" + width + "s  %s%n", o.imported() ? "imported" : "skipped", o.name(), o.detail());
        }
        long imported = outcomes.stream().filter(ImportOutcome::imported).count();
        long skipped = outcomes.size() - imported;
        out.println("Imported " + imported + ", skipped " + skipped + " of " + outcomes.size() + " " + items + "."
                + (imported > 0 && !checked ? " Their reachability is 'unknown' until first used." : ""));
        out.flush();
        return skipped > 0 ? 3 : 0;
    }
}
