package org.jupyterhealth.exchange.admin.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the real database fail a write on purpose, to prove what a request leaves behind when a step after a call
 * to identity-service fails: a trigger (created as the migrations' owner, over JDBC) raises an error with the given
 * SQLSTATE when a row matching the condition is inserted or updated in the table. Close it to remove the trigger.
 */
public final class DatabaseFaults implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final String table;

    private DatabaseFaults(String name, String table) {
        this.name = name;
        this.table = table;
    }

    /**
     * @param table a table of schema {@code admin}
     * @param condition a SQL condition on {@code NEW} (the row being written)
     * @param sqlState the error PostgreSQL reports, such as {@code 23505} (a unique key taken meanwhile)
     */
    public static DatabaseFaults failWritesTo(String table, String condition, String sqlState) {
        DatabaseFaults fault = new DatabaseFaults("jhe_test_fault_" + NEXT.incrementAndGet(), table);
        fault.execute("CREATE FUNCTION admin." + fault.name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION USING ERRCODE = '" + sqlState + "', MESSAGE = 'injected failure'; END $$;"
                + "CREATE TRIGGER " + fault.name + " BEFORE INSERT OR UPDATE ON admin." + table
                + " FOR EACH ROW WHEN (" + condition + ") EXECUTE FUNCTION admin." + fault.name + "()");
        return fault;
    }

    @Override
    public void close() {
        execute("DROP TRIGGER IF EXISTS " + name + " ON admin." + table + "; DROP FUNCTION IF EXISTS admin." + name
                + "()");
    }

    private void execute(String sql) {
        TestDatabase.execute(sql);
    }
}
