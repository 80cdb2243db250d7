package io.cloudpilot.plugin.toolkit;

/**
 * Small text rules shared by messages.
 */
public final class Text {

    private Text() {
    }

    /**
     * Shortens a text that is not the caller's (an upstream answer, a configured value) before a message carries it,
     * and drops control characters, so that a message never carries a 10 kB or multi-line echo. A value the caller
     * sent is quoted with {@link io.cloudpilot.spi.ApiException#quote} instead.
     *
     * @param s   the value
     * @param max characters kept
     * @return the shortened value
     */
    public static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        String clean = s.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }
}
