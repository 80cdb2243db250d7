package io.cloudpilot.platform.plugins;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.cloudpilot.k8s.syntax.Names;

/**
 * What a plugin directory entry says about itself before any of its code runs: read from its files only (the jar
 * manifest, the service file, the list of classes, the file permissions). A plugin is accepted on this alone;
 * only an accepted plugin gets a class loader and is instantiated.
 */
final class PluginFiles {

    static final String SERVICE_FILE = "META-INF/services/io.cloudpilot.spi.Plugin";

    private PluginFiles() {
    }

    /**
     * A plugin that passed every check of its files.
     *
     * @param id          the manifest's Plugin-Id
     * @param spiVersion  the manifest's Plugin-Spi-Version
     * @param version     the manifest's Plugin-Version, or null
     * @param pluginClass the class its service file names
     * @param jars        its jars
     * @param source      the absolute path of the jar or directory
     */
    record Candidate(String id, int spiVersion, String version, String pluginClass, List<Path> jars, String source) {
    }

    /**
     * Either a candidate or the reason the entry is refused.
     *
     * @param candidate the plugin, when accepted
     * @param refused   the refusal, when not
     */
    record Inspection(Candidate candidate, LoadedPlugin refused) {
        static Inspection refuse(String id, String source, String reason) {
            return new Inspection(null, LoadedPlugin.failed(id, source, reason));
        }
    }

    /**
     * Checks one entry of a plugin directory: a jar, or a directory of jars.
     *
     * @param entry      the jar or directory
     * @param spiVersion the SPI version this platform implements
     * @return the candidate or the refusal
     */
    static Inspection inspect(Path entry, int spiVersion) {
        String source = entry.toAbsolutePath().normalize().toString();
        String name = entry.getFileName().toString();
        Optional<String> open = writableByOthers(entry);
        if (open.isPresent()) {
            return Inspection.refuse(name, source, open.get());
        }
        List<Path> jars = Files.isDirectory(entry) ? jarsIn(entry) : List.of(entry);
        if (jars.isEmpty()) {
            return Inspection.refuse(name, source, "the directory holds no .jar file");
        }
        Attributes manifest = null;
        Set<String> services = new LinkedHashSet<>();
        Set<String> classes = new LinkedHashSet<>();
        for (Path jar : jars) {
            Optional<String> jarOpen = writableByOthers(jar);
            if (jarOpen.isPresent()) {
                return Inspection.refuse(name, source, jarOpen.get());
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                if (manifest == null && file.getManifest() != null
                        && file.getManifest().getMainAttributes().getValue("Plugin-Id") != null) {
                    manifest = file.getManifest().getMainAttributes();
                }
                for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                    String provided = ProvidedApis.providedClassIn(e.getName());
                    if (provided != null) {
                        return Inspection.refuse(name, source, jar.getFileName() + " bundles " + provided
                                + ", a class of an API the platform provides: build the plugin with that dependency "
                                + "in scope provided, so it uses the platform's copy (docs/plugin-development.md, "
                                + "Provided APIs)");
                    }
                    if (e.getName().endsWith(".class")) {
                        classes.add(e.getName());
                    }
                }
                JarEntry service = file.getJarEntry(SERVICE_FILE);
                if (service != null) {
                    services.addAll(serviceLines(file, service));
                }
            } catch (IOException | SecurityException e) {
                return Inspection.refuse(name, source, "cannot read " + jar.getFileName() + ": " + e.getMessage());
            }
        }
        String fallbackId = manifest == null ? name : manifest.getValue("Plugin-Id").trim();
        if (manifest == null) {
            return Inspection.refuse(fallbackId, source, "the jar manifest lacks Plugin-Id and Plugin-Spi-Version: "
                    + "build the plugin with the CloudPilot plugin parent or add them");
        }
        if (!Names.isDns1123Label(fallbackId)) {
            return Inspection.refuse(fallbackId, source, "invalid Plugin-Id '" + fallbackId
                    + "': use lower-case letters, digits and '-'");
        }
        if (services.isEmpty()) {
            return Inspection.refuse(fallbackId, source, "no Plugin service: the jar needs a " + SERVICE_FILE
                    + " file naming its Plugin class");
        }
        if (services.size() > 1) {
            return Inspection.refuse(fallbackId, source, "more than one Plugin service (" + services
                    + "): a plugin jar or directory holds one plugin");
        }
        String pluginClass = services.iterator().next();
        if (!classes.contains(pluginClass.replace('.', '/') + ".class")) {
            return Inspection.refuse(fallbackId, source, "the service file names " + pluginClass
                    + ", which is not in the plugin's jars");
        }
        String spi = manifest.getValue("Plugin-Spi-Version");
        int built;
        try {
            built = Integer.parseInt(spi == null ? "" : spi.trim());
        } catch (NumberFormatException e) {
            return Inspection.refuse(fallbackId, source, "manifest Plugin-Spi-Version '" + spi
                    + "' is not a number; this platform implements SPI version " + spiVersion);
        }
        if (built > spiVersion || built < 1) {
            return Inspection.refuse(fallbackId, source, "built for SPI version " + built
                    + ", but this platform implements SPI version " + spiVersion + "; use a plugin built for it");
        }
        String version = manifest.getValue("Plugin-Version");
        return new Inspection(new Candidate(fallbackId, built, version == null || version.isBlank() ? null
                : version.trim(), pluginClass, jars, source), null);
    }

    /**
     * Like SSH with a key file: a file or directory others may write to could be replaced by anyone on the machine.
     *
     * @param path a plugin directory, sub-directory or jar
     * @return why it is refused, or empty when only its owner (and group) may write to it
     */
    static Optional<String> writableByOthers(Path path) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // no POSIX permissions on this file system
        } catch (IOException e) {
            return Optional.of("cannot read the permissions of " + path + ": " + e.getMessage());
        }
        if (!permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.empty();
        }
        return Optional.of(path.toAbsolutePath().normalize() + " is writable by others ("
                + PosixFilePermissions.toString(permissions) + "): anyone on this machine could replace the plugin's "
                + "code; remove the write permission (chmod o-w) and restart");
    }

    private static List<String> serviceLines(JarFile file, JarEntry service) throws IOException {
        List<String> result = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getInputStream(service),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!name.isEmpty()) {
                    result.add(name);
                }
            }
        }
        return result;
    }

    static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
