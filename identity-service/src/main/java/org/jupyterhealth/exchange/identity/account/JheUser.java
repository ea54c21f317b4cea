package org.jupyterhealth.exchange.identity.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A person who can sign in: practitioner, patient, or administrator (JHE's JheUser). */
@Entity
@Table(name = "jhe_user")
public class JheUser {

    @Id
    @SequenceGenerator(name = "jhe_user_id", sequenceName = "jhe_user_seq", allocationSize = 1)
    @GeneratedValue(generator = "jhe_user_id")
    public Long id;

    @Column(nullable = false)
    public String email;

    @Column(name = "email_verified", nullable = false)
    public boolean emailVerified;

    /** argon2id hash in PHC format; null for accounts that cannot sign in with a password. */
    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "first_name", nullable = false)
    public String firstName = "";

    @Column(name = "last_name", nullable = false)
    public String lastName = "";

    /** {@code practitioner}, {@code patient}, or null. */
    @Column(name = "user_type")
    public String userType;

    @Column(name = "is_superuser", nullable = false)
    public boolean superuser;

    @Column(name = "is_active", nullable = false)
    public boolean active = true;

    @Column(nullable = false)
    public String identifier = "";

    @Column(name = "date_joined", nullable = false)
    public Instant dateJoined = Instant.now();

    @Column(name = "last_login")
    public Instant lastLogin;

    /**
     * A registration found this account after it was created: it may be in use by another caller, so undoing the
     * creation must not delete it.
     */
    @Column(name = "registered_again", nullable = false)
    public boolean registeredAgain;
}
