package org.jupyterhealth.exchange.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * The lines a log category (and every one below it) writes while captured, formatted as they are logged: to prove
 * what a service logs, and what never reaches its log (a token, a recipient, a mail body). Close it to stop.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String category) {
        this.logger = Logger.getLogger(category);
        logger.addHandler(handler);
    }

    public static LogCapture of(String category) {
        return new LogCapture(category);
    }

    /** What was logged so far, oldest first; it grows as lines come. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
