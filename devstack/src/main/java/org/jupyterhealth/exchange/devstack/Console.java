package org.jupyterhealth.exchange.devstack;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What {@code ./jhe} prints: progress lines with the seconds since the command started ({@code [jhe +  4s] ...}),
 * a ✓ before what is done, errors on stderr. Colours only on a terminal.
 */
final class Console {
    private final long started = System.nanoTime();
    private final boolean colours;
    private final PrintStream out;
    private final PrintStream err;

    Console(boolean colours, PrintStream out, PrintStream err) {
        this.colours = colours;
        this.out = out;
        this.err = err;
    }

    /** Colours when standard input and output are a terminal, as the user's shell would show them. */
    static Console system() {
        return new Console(System.console() != null, System.out, System.err);
    }

    /** The same, with nothing on standard output: errors and warnings only. */
    Console quiet() {
        return new Console(colours, new PrintStream(OutputStream.nullOutputStream()), err);
    }

    String bold(String text) {
        return colours ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    String red(String text) {
        return colours ? "\u001b[31m" + text + "\u001b[0m" : text;
    }

    private String green(String text) {
        return colours ? "\u001b[32m" + text + "\u001b[0m" : text;
    }

    private String dim(String text) {
        return colours ? "\u001b[2m" + text + "\u001b[0m" : text;
    }

    long elapsedSeconds() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    private String prefix() {
        return dim(String.format("[jhe +%3ds]", elapsedSeconds())) + " ";
    }

    void say(String message) {
        out.println(prefix() + message);
    }

    void ok(String message) {
        say(green("✓") + " " + message);
    }

    /** A progress line on stderr (warnings, and what goes with them). */
    void sayToErr(String message) {
        err.println(prefix() + message);
    }

    /** A line of detail under a progress line, indented to its text. */
    void detail(String line) {
        out.println("       " + line);
    }

    void print(String text) {
        out.print(text);
        out.flush();
    }

    void error(String message) {
        err.println(red("[jhe] error:") + " " + message);
    }

    PrintStream err() {
        return err;
    }
}
