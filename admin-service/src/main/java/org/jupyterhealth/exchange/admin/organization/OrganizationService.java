package org.jupyterhealth.exchange.admin.organization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;

import io.smallrye.mutiny.Uni;

/**
 * Organizations, their tree and their practitioners' roles (docs/compatibility.md#organizations, with the holes of
 * docs/compatibility.md#missing-permission-checks closed).
 */
@ApplicationScoped
public class OrganizationService {
    public static final String TOP_LEVEL_REFUSED = "You don't have permission to create a top-level organization.";

    private final Db db;
    private final OrganizationRepository organizations;
    private final Permissions permissions;
    private final AccountDirectory accounts;
    private final Events events;

    public OrganizationService(Db db, OrganizationRepository organizations, Permissions permissions,
            AccountDirectory accounts, Events events) {
        this.db = db;
        this.organizations = organizations;
        this.permissions = permissions;
        this.accounts = accounts;
        this.events = events;
    }

    public record OrganizationChange(String name, String type, Long partOf, boolean partOfGiven) {
    }

    public record Member(long id, String email, String firstName, String lastName, String role) {
    }

    public record PractitionerSummary(long id, long jheUserId, String nameFamily, String nameGiven,
            String telecomEmail) {
    }

    public record Membership(long id, OrganizationResponse organization, PractitionerSummary practitioner,
            String role, boolean created) {
    }

    public Uni<Page<OrganizationResponse>> listOrganizations(Caller caller, Long partOf, PageRequest page) {
        return organizations.countVisible(caller.practitionerId(), caller.patientId(), caller.superuser(), partOf)
                .flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return organizations.listVisible(caller.practitionerId(), caller.patientId(), caller.superuser(),
                            partOf, resolved.offset(), resolved.limit()).map(rows -> resolved.page(count, rows));
                });
    }

    /** One organization the caller may see: a superuser any, others those they are a direct member of. */
    public Uni<OrganizationResponse> organization(Caller caller, long id) {
        return organizations.findById(id, caller.practitionerId(), caller.superuser())
                .flatMap(org -> {
                    if (org == null) {
                        return Uni.createFrom().failure(Errors.notFound("Organization"));
                    }
                    return requireVisible(caller, id).replaceWith(org);
                });
    }

    private Uni<Void> requireVisible(Caller caller, long id) {
        if (caller.superuser()) {
            return Uni.createFrom().voidItem();
        }
        return permissions.isMember(caller, id).invoke(member -> {
            if (!member) {
                throw Errors.forbidden();
            }
        }).replaceWithVoid();
    }

    public Uni<OrganizationResponse> tree(Caller caller, long id) {
        return organization(caller, id).flatMap(root -> organizations
                .subtree(id, caller.practitionerId(), caller.superuser())
                .map(all -> {
                    Map<Long, List<OrganizationResponse>> byParent = new HashMap<>();
                    for (OrganizationResponse org : all) {
                        if (org.id() != id && org.partOf() != null) {
                            byParent.computeIfAbsent(org.partOf(), k -> new ArrayList<>()).add(org);
                        }
                    }
                    return attach(root, byParent);
                }));
    }

    private static OrganizationResponse attach(OrganizationResponse org,
            Map<Long, List<OrganizationResponse>> byParent) {
        List<OrganizationResponse> children = new ArrayList<>();
        for (OrganizationResponse child : byParent.getOrDefault(org.id(), List.of())) {
            children.add(attach(child, byParent));
        }
        return org.withChildren(children);
    }

    public Uni<List<OrganizationResponse>> organizationsOfCaller(Caller caller) {
        if (caller.practitionerId() == null) {
            return Uni.createFrom().item(List.of());
        }
        return organizations.listOfPractitioner(caller.practitionerId());
    }

    /**
     * Creates an organization. Top level (no parent, or ROOT): superusers only. Below a parent: its managers and
     * superusers. A practitioner creating one becomes its manager.
     */
    public Uni<OrganizationResponse> createOrganization(Caller caller, OrganizationChange change) {
        validate(change.name(), change.type(), true);
        boolean topLevel = change.partOf() == null || change.partOf() == 0;
        Uni<?> allowed = topLevel
                ? (caller.superuser() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(Errors.forbidden(TOP_LEVEL_REFUSED)))
                : permissions.require(caller, change.partOf(), Permissions.MANAGERS);
        return allowed.chain(() -> db.inTransaction(tx -> (change.partOf() == null
                ? Uni.createFrom().item(true) : organizations.exists(tx, change.partOf()))
                .flatMap(parentExists -> {
                    if (!parentExists) {
                        return Uni.createFrom().failure(Errors.invalid("partOf",
                                "Organization " + change.partOf() + " does not exist."));
                    }
                    return Db.one(tx, "INSERT INTO organization (name, type, part_of) VALUES ($1, $2, $3) "
                            + "RETURNING id", row -> row.getLong(0), change.name().trim(), change.type(),
                            change.partOf());
                })
                .call(id -> caller.practitionerId() == null ? Uni.createFrom().voidItem()
                        : Db.update(tx, "INSERT INTO practitioner_organization (practitioner_id, organization_id, "
                                + "role) VALUES ($1, $2, 'manager')", caller.practitionerId(), id)
                                .call(n -> events.practitionerMembershipChanged(tx, id, caller.userId())))))
                .flatMap(id -> organizations.findById(id, caller.practitionerId(), caller.superuser()));
    }

    /** Who may change or delete an organization: managers of its parent (of itself when top level), superusers. */
    private Uni<OrganizationResponse> requireAdministrable(Caller caller, long id) {
        if (id == 0) {
            return Uni.createFrom().failure(Errors.forbidden("The ROOT organization cannot be changed."));
        }
        return organizations.findById(id, caller.practitionerId(), caller.superuser()).flatMap(org -> {
            if (org == null) {
                return Uni.createFrom().failure(Errors.notFound("Organization"));
            }
            long governing = org.partOf() == null || org.partOf() == 0 ? org.id() : org.partOf();
            return permissions.require(caller, governing, Permissions.MANAGERS).replaceWith(org);
        });
    }

    public Uni<OrganizationResponse> updateOrganization(Caller caller, long id, OrganizationChange change,
            boolean partial) {
        validate(change.name(), change.type(), !partial);
        return requireAdministrable(caller, id).flatMap(current -> {
            Long newParent = change.partOfGiven() ? change.partOf() : current.partOf();
            boolean moved = change.partOfGiven() && !java.util.Objects.equals(newParent, current.partOf());
            Uni<?> allowed = Uni.createFrom().voidItem();
            if (moved) {
                allowed = (newParent == null || newParent == 0)
                        ? (caller.superuser() ? Uni.createFrom().voidItem()
                                : Uni.createFrom().failure(Errors.forbidden(TOP_LEVEL_REFUSED)))
                        : permissions.require(caller, newParent, Permissions.MANAGERS);
            }
            return allowed.chain(() -> db.inTransaction(tx -> {
                Uni<Void> check = Uni.createFrom().voidItem();
                if (moved && newParent != null) {
                    check = organizations.subtreeIds(tx, id).flatMap(subtree -> {
                        if (subtree.contains(newParent)) {
                            return Uni.createFrom().failure(Errors.invalid("partOf",
                                    "An organization cannot be placed below itself."));
                        }
                        return organizations.exists(tx, newParent).invoke(exists -> {
                            if (!exists) {
                                throw Errors.invalid("partOf", "Organization " + newParent + " does not exist.");
                            }
                        }).replaceWithVoid();
                    });
                }
                return check.chain(() -> Db.update(tx, "UPDATE organization SET name = COALESCE($2, name), "
                        + "type = COALESCE($3, type), part_of = $4, last_updated = now() WHERE id = $1", id,
                        change.name() == null ? null : change.name().trim(), change.type(), newParent));
            }));
        }).flatMap(n -> organizations.findById(id, caller.practitionerId(), caller.superuser()));
    }

    public Uni<Void> deleteOrganization(Caller caller, long id) {
        return requireAdministrable(caller, id).flatMap(org -> db.inTransaction(tx -> organizations
                .subtreeIds(tx, id)
                .call(ids -> events.recordBulk(tx, "SELECT pa.patient_id, NULL::bigint, pa.organization_id, "
                        + "NULL::bigint, 'MEMBERSHIP_CHANGED' FROM patient_organization pa "
                        + "WHERE pa.organization_id = ANY($1) UNION ALL "
                        + "SELECT sp.patient_id, sp.study_id, s.organization_id, NULL::bigint, 'ENROLMENT_CHANGED' "
                        + "FROM study_patient sp JOIN study s ON s.id = sp.study_id WHERE s.organization_id = ANY($1)",
                        (Object) Db.ids(ids)))
                .call(ids -> Db.update(tx, "DELETE FROM organization WHERE id = $1", id))))
                .replaceWithVoid();
    }

    public Uni<List<Member>> practitionersOf(Caller caller, long id) {
        return organization(caller, id).flatMap(org -> db.list("SELECT p.jhe_user_id, a.email, "
                + "COALESCE(a.first_name, p.name_given, '') AS first_name, "
                + "COALESCE(a.last_name, p.name_family, '') AS last_name, m.role "
                + "FROM practitioner_organization m JOIN practitioner p ON p.id = m.practitioner_id "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE m.organization_id = $1 "
                + "ORDER BY 4, p.jhe_user_id",
                row -> new Member(row.getLong(0), row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4)), id));
    }

    /** Gives a practitioner a role in the organization (managers and superusers); created or updated. */
    public Uni<Membership> setPractitionerRole(Caller caller, long organizationId, Long userId, String role) {
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("jheUserId", "jhe_user_id is required"));
        }
        String effective = role == null || role.isBlank() ? Permissions.MEMBER : role.trim();
        if (!List.of(Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER).contains(effective)) {
            return Uni.createFrom().failure(Errors.invalid("organizationPartitionerRole",
                    "\"" + effective + "\" is not a valid choice."));
        }
        return organization(caller, organizationId)
                .call(org -> permissions.require(caller, organizationId, Permissions.MANAGERS))
                .flatMap(org -> practitionerOf(userId).flatMap(practitioner -> db.inTransaction(tx -> Db.one(tx,
                        "INSERT INTO practitioner_organization (practitioner_id, organization_id, role) "
                                + "VALUES ($1, $2, $3) ON CONFLICT (practitioner_id, organization_id) "
                                + "DO UPDATE SET role = EXCLUDED.role RETURNING id, (xmax = 0) AS created",
                        row -> new Membership(row.getLong(0), org, practitioner, effective, row.getBoolean(1)),
                        practitioner.id(), organizationId, effective)
                        .call(m -> events.practitionerMembershipChanged(tx, organizationId, userId)))));
    }

    public Uni<Void> removePractitioner(Caller caller, long organizationId, Long userId) {
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("jheUserId", "jhe_user_id is required"));
        }
        return organization(caller, organizationId)
                .call(org -> permissions.require(caller, organizationId, Permissions.MANAGERS))
                .flatMap(org -> practitionerOf(userId))
                .flatMap(practitioner -> db.inTransaction(tx -> Db.update(tx,
                        "DELETE FROM practitioner_organization WHERE practitioner_id = $1 AND organization_id = $2",
                        practitioner.id(), organizationId)
                        .call(n -> n > 0 ? events.practitionerMembershipChanged(tx, organizationId, userId)
                                : Uni.createFrom().voidItem())))
                .replaceWithVoid();
    }

    /**
     * The practitioner record of an account: 404 when the account does not exist or is not a practitioner's
     * (a patient, or an account of unknown type without a practitioner record).
     */
    Uni<PractitionerSummary> practitionerOf(long userId) {
        return db.one("SELECT p.id, p.jhe_user_id, p.name_family, p.name_given, a.email FROM practitioner p "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE p.jhe_user_id = $1",
                row -> new PractitionerSummary(row.getLong(0), row.getLong(1), row.getString(2), row.getString(3),
                        row.getString(4)), userId)
                .flatMap(found -> {
                    if (found != null) {
                        return Uni.createFrom().item(found);
                    }
                    return accounts.find(userId).flatMap(account -> {
                        if (account == null) {
                            return Uni.createFrom().failure(Errors.notFound("user"));
                        }
                        if (!"practitioner".equals(account.userType())) {
                            return Uni.createFrom().failure(
                                    new org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException(
                                            "Practitioner not found"));
                        }
                        return createPractitioner(account);
                    });
                });
    }

    private Uni<PractitionerSummary> createPractitioner(Account account) {
        return db.one("INSERT INTO practitioner (jhe_user_id, name_family, name_given) VALUES ($1, $2, $3) "
                + "ON CONFLICT (jhe_user_id) DO UPDATE SET jhe_user_id = EXCLUDED.jhe_user_id RETURNING id",
                row -> new PractitionerSummary(row.getLong(0), account.id(), account.lastName(), account.firstName(),
                        account.email()), account.id(), account.lastName(), account.firstName());
    }

    private static void validate(String name, String type, boolean required) {
        Map<String, List<String>> errors = new java.util.LinkedHashMap<>();
        if (required || name != null) {
            if (name == null || name.isBlank()) {
                errors.put("name", List.of("This field is required."));
            } else if (name.length() > 255) {
                errors.put("name", List.of("Ensure this field has no more than 255 characters."));
            }
        }
        if (required || type != null) {
            if (type == null || type.isBlank()) {
                errors.put("type", List.of("This field is required."));
            } else if (!OrganizationTypes.ALL.containsKey(type) || "root".equals(type)) {
                errors.put("type", List.of("\"" + type + "\" is not a valid choice."));
            }
        }
        if (!errors.isEmpty()) {
            String detail = errors.entrySet().iterator().next().getKey() + ": "
                    + errors.entrySet().iterator().next().getValue().get(0);
            throw new org.jupyterhealth.exchange.admin.web.AdminException.ValidationException(detail, errors);
        }
    }
}
