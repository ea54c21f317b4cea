package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void stackOptionIsTakenFromAnywhereAfterTheCommand() {
        Arguments arguments = Arguments.parse(List.of("stop", "--stack", "systest", "admin-service"), null);

        assertThat(arguments.command()).isEqualTo("stop");
        assertThat(arguments.stack()).isEqualTo("systest");
        assertThat(arguments.args()).containsExactly("admin-service");
        assertThat(Arguments.parse(List.of("up", "--detach", "--stack=bench"), "dev").stack()).isEqualTo("bench");
    }

    @Test
    void stackDefaultsToJheStackThenDev() {
        assertThat(Arguments.parse(List.of("status"), "systest").stack()).isEqualTo("systest");
        assertThat(Arguments.parse(List.of("status"), null).stack()).isEqualTo("dev");
        assertThat(Arguments.parse(List.of("status"), "").stack()).isEqualTo("dev");
    }

    @Test
    void noCommandIsHelp() {
        assertThat(Arguments.parse(List.of(), null).command()).isEqualTo("help");
    }

    @Test
    void mavenArgumentsPassThroughInTheirOrder() {
        assertThat(Arguments.parse(List.of("test", "-pl", "devstack", "-am", "-Dtest=X"), null).args())
                .containsExactly("-pl", "devstack", "-am", "-Dtest=X");
    }

    @Test
    void stackOptionWithoutANameIsRefused() {
        assertThatThrownBy(() -> Arguments.parse(List.of("up", "--stack"), null))
                .isInstanceOf(LauncherException.class).hasMessageContaining("--stack needs a name");
    }

    @Test
    void upOptions() {
        assertThat(Arguments.Up.parse(List.of())).isEqualTo(new Arguments.Up(false, true, false));
        assertThat(Arguments.Up.parse(List.of("--detach", "--no-build", "--fresh")))
                .isEqualTo(new Arguments.Up(true, false, true));
        assertThat(Arguments.Up.parse(List.of("-d")).detach()).isTrue();
        assertThatThrownBy(() -> Arguments.Up.parse(List.of("--fast"))).isInstanceOf(LauncherException.class)
                .hasMessage("unknown option for up: --fast");
    }
}
