package org.jupyterhealth.exchange.console.web;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The form that adds a practitioner to an organization (or changes their role there), as sent, with the error of
 * each field shown next to it; the organization page renders it back with a 400 when a field is wrong.
 */
public record MemberForm(String email, String role, String emailError, String roleError) {
    static final List<String> ROLES = List.of("member", "manager", "viewer");
    /** Enough of an address to look it up: no spaces, one @, a dot in the domain; at most 254 characters. */
    private static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]+\\.[^\\s@\\p{Cntrl}]+");

    static MemberForm empty() {
        return new MemberForm("", "member", null, null);
    }

    /** The form as sent, checked: each wrong field with its error. */
    static MemberForm checked(String email, String role) {
        String address = email == null ? "" : email.strip();
        String emailError = address.isEmpty() ? "Enter the practitioner's e-mail address."
                : address.length() > 254 || !EMAIL.matcher(address).matches()
                        ? "Enter an e-mail address such as name@example.org." : null;
        String roleError = role != null && ROLES.contains(role) ? null : "Choose manager, member or viewer.";
        return new MemberForm(address.length() > 254 ? address.substring(0, 254) : address,
                roleError == null ? role : "member", emailError, roleError);
    }

    MemberForm withEmailError(String error) {
        return new MemberForm(email, role, error, roleError);
    }

    public boolean valid() {
        return emailError == null && roleError == null;
    }

    public List<String> roles() {
        return ROLES;
    }
}
