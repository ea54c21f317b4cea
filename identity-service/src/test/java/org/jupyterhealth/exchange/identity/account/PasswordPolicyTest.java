package org.jupyterhealth.exchange.identity.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The password policy's rules, as a person choosing a password meets them (NIST SP 800-63B §3.1.1.2). */
class PasswordPolicyTest {
    private static final String EMAIL = "Grace.Hopper@Example.org";

    private final PasswordPolicy policy = new PasswordPolicy(12);

    @Test
    void acceptsAPassphraseWithoutAnyCompositionRule() {
        assertThat(policy.problem("correct horse battery staple", EMAIL)).isEmpty();
        assertThat(policy.problem("onlylowercaseletters", EMAIL)).isEmpty();
        assertThat(policy.problem("  spaces count  ", EMAIL)).isEmpty();
    }

    @Test
    void refusesAPasswordShorterThanTheMinimumAndSaysTheMinimum() {
        assertThat(policy.problem("elevenchars", EMAIL)).contains(
                "Your password is too short: use at least 12 characters.");
        assertThat(policy.problem("twelve chars", EMAIL)).isEmpty();
        assertThat(new PasswordPolicy(16).problem("fifteen letters", EMAIL)).get().asString().contains("16");
    }

    @Test
    void countsCharactersAsAPersonSeesThemNotAsUtf16Units() {
        String elevenEmoji = "🔐".repeat(11);
        assertThat(elevenEmoji.length()).isEqualTo(22);

        assertThat(policy.problem(elevenEmoji, EMAIL)).get().asString().contains("too short");
        assertThat(policy.problem("🔐".repeat(12), EMAIL)).isEmpty();
    }

    @Test
    void acceptsALongUnicodePasswordUpToTheMaximumAndRefusesOneMore() {
        String mixed = "Dès l'aube, 春の雨が静かに降る 🌧️ — Привет, мир! ";
        String longest = (mixed.repeat(10)).codePoints().limit(256)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertThat(longest.codePointCount(0, longest.length())).isEqualTo(256);

        assertThat(policy.problem(longest, EMAIL)).isEmpty();
        assertThat(policy.problem("𝄞".repeat(256), EMAIL)).isEmpty();
        assertThat(policy.problem("𝄞".repeat(257), EMAIL)).contains(
                "Your password is too long: use at most 256 characters.");
    }

    @Test
    void refusesCommonPasswordsWhateverTheirCase() {
        assertThat(policy.problem(COMMON, EMAIL)).get().asString().contains("too common");
        assertThat(policy.problem(COMMON.toUpperCase(), EMAIL)).get().asString().contains("too common");
    }

    @Test
    void refusesTheAccountsEmailAddressAndItsLocalPartInAnyCase() {
        String expected = "Your password cannot be your email address or the part of it before the @.";

        assertThat(policy.problem("grace.hopper@example.org", EMAIL)).contains(expected);
        assertThat(policy.problem("GRACE.HOPPER", "grace.hopper@example.org")).contains(expected);
        assertThat(policy.problem("grace.hopper@example.org and more", EMAIL)).isEmpty();
    }

    @Test
    void refusesControlCharactersButNotOtherUnicode() {
        String expected = "Your password cannot contain control characters, such as tabs or line breaks.";

        assertThat(policy.problem("tab\tinside the password", EMAIL)).contains(expected);
        assertThat(policy.problem("a line\nbreak in the middle", EMAIL)).contains(expected);
        assertThat(policy.problem("nul\u0000 in the middle here", EMAIL)).contains(expected);
        assertThat(policy.problem("delete\u007f in the middle", EMAIL)).contains(expected);
        assertThat(policy.problem("next line\u0085 in the middle", EMAIL)).contains(expected);
        assertThat(policy.problem("zero\u200dwidth joiner is fine", EMAIL)).isEmpty();
    }

    @Test
    void refusesAnEmptyOrBlankPassword() {
        assertThat(policy.problem(null, EMAIL)).contains("Enter a password.");
        assertThat(policy.problem("", EMAIL)).contains("Enter a password.");
        assertThat(policy.problem(" ".repeat(20), EMAIL)).contains("Your password cannot be only spaces.");
    }

    @Test
    void aMinimumLengthBelowEightOrAboveTheMaximumStopsTheStart() {
        assertThatThrownBy(() -> new PasswordPolicy(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jhe.identity.password.min-length");
        assertThatThrownBy(() -> new PasswordPolicy(257)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PasswordPolicy(8).problem("eight ch", null)).isEmpty();
    }

    /** A password of zxcvbn's list of common passwords that is long enough for every other rule. */
    private static final String COMMON = "1qaz2wsx3edc";
}
