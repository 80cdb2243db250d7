package io.cloudpilot.platform.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.ImportOutcome;
import io.cloudpilot.platform.registry.RegistryConfig;

import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Option;

/**
 * What both imports do around their own reading: refuse instant mode, open the registry the server would use, print
 * the report on standard output (log records on standard error), and answer 0 when everything was imported, 3 when
 * something was skipped, 1 when the input cannot be used.
 */
abstract class ImportCommand extends Subcommand implements Callable<Integer> {

    @Option(names = "--replace", description = "replace clusters already registered under the same name (default: "
            + "skip them)")
    boolean replace;

    @Option(names = "--verify", description = "check each cluster's GET /version first; skip those that fail")
    boolean verify;

    @Option(names = "--verbose", description = "show INFO log records (on standard error) too")
    boolean verbose;

    /** @return the command's name, for messages */
    abstract String name();

    /** @return the first line of the report, e.g. "Importing clusters from FILE" */
    abstract String header();

    /** @return what the items of the input are called in the counts, e.g. {@code row(s)} */
    abstract String items();

    /**
     * @param registry where the clusters go
     * @return one outcome per item of the input
     * @throws IllegalArgumentException when the input cannot be used
     */
    abstract List<ImportOutcome> importInto(ClusterRegistry registry);

    @Override
    @SuppressWarnings("try") // logs is held for its scope: the report logging is switched back when it closes
    public Integer call() {
        Config config = selected().config();
        String mode = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        if (!mode.equals("server")) {
            err().println("cloudpilot: " + name() + " fills the registry of server mode; cloudpilot.mode is " + mode);
            return 2;
        }
        try (ReportLogging logs = ReportLogging.toStandardError(verbose);
             ClusterRegistry registry = ClusterRegistry.open(RegistryConfig.from(config))) {
            out().println(header() + " into the registry at " + registry.description());
            List<ImportOutcome> outcomes = importInto(registry);
            int width = outcomes.stream().mapToInt(o -> o.name().length()).max().orElse(4);
            for (ImportOutcome o : outcomes) {
                out().printf("  %-8s  %-" + width + "s  %s%n", o.imported() ? "imported" : "skipped", o.name(),
                        o.detail());
            }
            long imported = outcomes.stream().filter(ImportOutcome::imported).count();
            long skipped = outcomes.size() - imported;
            out().println("Imported " + imported + ", skipped " + skipped + " of " + outcomes.size() + " " + items()
                    + "." + (imported > 0 && !verify ? " Their reachability is 'unknown' until first used." : ""));
            out().flush();
            return skipped > 0 ? 3 : 0;
        } catch (RuntimeException e) {
            err().println("cloudpilot: cannot import: " + e.getMessage());
            return 1;
        }
    }
}
