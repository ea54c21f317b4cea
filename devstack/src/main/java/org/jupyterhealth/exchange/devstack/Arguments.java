package org.jupyterhealth.exchange.devstack;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ./jhe} command line: the command, the stack ({@code --stack NAME} or {@code --stack=NAME} anywhere after
 * the command, else {@code JHE_STACK}, else {@code dev}) and the command's own arguments in their order.
 *
 * @param command the command ({@code help} when none is given)
 * @param stack   the stack's name, not yet checked
 * @param args    the rest
 */
record Arguments(String command, String stack, List<String> args) {
    static final List<String> COMMANDS = List.of("up", "down", "status", "logs", "mail", "audit", "test", "infra",
            "mvn", "bench", "stop", "kill", "start", "replica");

    static Arguments parse(List<String> line, String defaultStack) {
        String command = line.isEmpty() ? "help" : line.get(0);
        String stack = defaultStack == null || defaultStack.isEmpty() ? "dev" : defaultStack;
        List<String> args = new ArrayList<>();
        for (int i = 1; i < line.size(); i++) {
            String arg = line.get(i);
            if (arg.equals("--stack")) {
                if (i + 1 >= line.size()) {
                    throw new LauncherException("--stack needs a name (dev, systest, bench)");
                }
                stack = line.get(++i);
            } else if (arg.startsWith("--stack=")) {
                stack = arg.substring("--stack=".length());
            } else {
                args.add(arg);
            }
        }
        return new Arguments(command, stack, List.copyOf(args));
    }

    /**
     * The options of {@code ./jhe up}.
     *
     * @param detach leave the stack running in the background ({@code --detach}, {@code -d})
     * @param build  build what is stale first (unless {@code --no-build})
     * @param fresh  recreate the database and the Kafka data ({@code --fresh})
     */
    record Up(boolean detach, boolean build, boolean fresh) {
        static Up parse(List<String> args) {
            boolean detach = false;
            boolean build = true;
            boolean fresh = false;
            for (String arg : args) {
                switch (arg) {
                    case "--detach", "-d" -> detach = true;
                    case "--no-build" -> build = false;
                    case "--fresh" -> fresh = true;
                    default -> throw new LauncherException("unknown option for up: " + arg);
                }
            }
            return new Up(detach, build, fresh);
        }
    }
}
