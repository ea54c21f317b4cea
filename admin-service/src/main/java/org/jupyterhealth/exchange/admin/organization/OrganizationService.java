package org.jupyterhealth.exchange.admin.organization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.practitioner.PractitionerRepository;
import org.jupyterhealth.exchange.admin.practitioner.PractitionerSummary;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.study.StudyResponse;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
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
    public static final String PASSKEY_REFUSED = "Only a superuser can change whether an organization requires passkeys.";

    private final Db db;
    private final OrganizationRepository organizations;
    private final PractitionerRepository practitioners;
    private final Permissions permissions;
    private final AccountDirectory accounts;
    private final Events events;
    private final StaffPasskeys staffPasskeys;

    public OrganizationService(Db db, OrganizationRepository organizations, PractitionerRepository practitioners,
            Permissions permissions, AccountDirectory accounts, Events events, StaffPasskeys staffPasskeys) {
        this.db = db;
        this.organizations = organizations;
        this.practitioners = practitioners;
        this.permissions = permissions;
        this.accounts = accounts;
        this.events = events;
        this.staffPasskeys = staffPasskeys;
    }

    /** A membership given or changed, and whether it is new (a 201 rather than a 200). */
    public record MembershipChange(MembershipResponse membership, boolean created) {
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
                .listSubtree(id, caller.practitionerId(), caller.superuser())
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
        return organizations.listByPractitioner(caller.practitionerId());
    }

    /** The studies of an organization the caller may see. */
    public Uni<List<StudyResponse>> studiesOf(Caller caller, long id) {
        return organization(caller, id).flatMap(org -> organizations.listStudies(id));
    }

    /**
     * Creates an organization. Top level (no parent, or ROOT): superusers only. Below a parent: its managers and
     * superusers. A practitioner creating one becomes its manager. Only a superuser may create one that requires
     * passkeys (403 for anyone else asking for it).
     */
    public Uni<OrganizationResponse> createOrganization(Caller caller, OrganizationRequest request) {
        Long partOf = orNull(request.partOf());
        boolean topLevel = partOf == null || partOf == 0;
        boolean requirePasskey = Boolean.TRUE.equals(request.requirePasskey());
        if (requirePasskey && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden(PASSKEY_REFUSED));
        }
        Uni<?> allowed = topLevel ? requireSuperuserForTopLevel(caller)
                : permissions.require(caller, partOf, Permissions.MANAGERS);
        return allowed.chain(() -> db.inTransaction(tx -> (partOf == null
                ? Uni.createFrom().item(true) : organizations.exists(tx, partOf))
                .flatMap(parentExists -> {
                    if (!parentExists) {
                        return Uni.createFrom().failure(Errors.invalid("partOf",
                                "Organization " + partOf + " does not exist."));
                    }
                    return organizations.insert(tx, request.name().trim(), request.type(), partOf, requirePasskey);
                })
                .call(id -> caller.practitionerId() == null ? Uni.createFrom().voidItem()
                        : organizations.insertMember(tx, caller.practitionerId(), id, Permissions.MANAGER)
                                .call(() -> events.practitionerMembershipChanged(tx, id, caller.userId()))
                                .call(() -> staffPasskeys.membershipChanged(tx, id, caller.practitionerId())))))
                .flatMap(id -> organizations.findById(id, caller.practitionerId(), caller.superuser()));
    }

    private static Uni<Void> requireSuperuserForTopLevel(Caller caller) {
        return caller.superuser() ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(Errors.forbidden(TOP_LEVEL_REFUSED));
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

    /** {@code PUT}: the name and type replaced; the parent changed only when {@code partOf} is given. */
    public Uni<OrganizationResponse> replaceOrganization(Caller caller, long id, OrganizationRequest request) {
        return updateOrganization(caller, id, request.name(), request.type(), request.partOf(),
                request.requirePasskey());
    }

    /** {@code PATCH}: what the request names changes. */
    public Uni<OrganizationResponse> patchOrganization(Caller caller, long id, OrganizationPatch patch) {
        return updateOrganization(caller, id, patch.name(), patch.type(), patch.partOf(), patch.requirePasskey());
    }

    /**
     * @param partOf null when not given (the parent stays), empty when given as null (top level)
     * @param requirePasskey null when not given (it stays); a change of it is a superuser's only (403), and tells
     *        identity-service which of the organization's practitioners now need a passkey, before committing
     */
    private Uni<OrganizationResponse> updateOrganization(Caller caller, long id, String name, String type,
            Optional<Long> partOf, Boolean requirePasskey) {
        return requireAdministrable(caller, id).flatMap(current -> {
            boolean passkeyChanged = requirePasskey != null
                    && !requirePasskey.equals(Boolean.TRUE.equals(current.requirePasskey()));
            if (passkeyChanged && !caller.superuser()) {
                return Uni.createFrom().failure(Errors.forbidden(PASSKEY_REFUSED));
            }
            Long newParent = partOf != null ? partOf.orElse(null) : current.partOf();
            boolean moved = partOf != null && !Objects.equals(newParent, current.partOf());
            Uni<?> allowed = Uni.createFrom().voidItem();
            if (moved) {
                allowed = newParent == null || newParent == 0 ? requireSuperuserForTopLevel(caller)
                        : permissions.require(caller, newParent, Permissions.MANAGERS);
            }
            return allowed.chain(() -> db.inTransaction(tx -> {
                Uni<Void> check = Uni.createFrom().voidItem();
                if (moved && newParent != null) {
                    check = organizations.listSubtreeIds(tx, id).flatMap(subtree -> {
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
                return check.chain(() -> organizations.update(tx, id, name == null ? null : name.trim(), type,
                        newParent, passkeyChanged ? requirePasskey : null))
                        .call(() -> passkeyChanged ? staffPasskeys.requirementChanged(tx, id)
                                : Uni.createFrom().voidItem());
            }));
        }).flatMap(n -> organizations.findById(id, caller.practitionerId(), caller.superuser()));
    }

    public Uni<Void> deleteOrganization(Caller caller, long id) {
        return requireAdministrable(caller, id).flatMap(org -> db.inTransaction(tx -> organizations
                .listSubtreeIds(tx, id)
                .flatMap(subtree -> staffPasskeys.concernedByDeletion(tx, subtree)
                        .flatMap(concerned -> organizations.delete(tx, id, subtree)
                                .chain(() -> staffPasskeys.deleted(tx, concerned))))));
    }

    public Uni<List<MemberResponse>> practitionersOf(Caller caller, long id) {
        return organization(caller, id).flatMap(org -> organizations.listMembers(id));
    }

    /** Gives a practitioner a role in the organization (managers and superusers); created or updated. */
    public Uni<MembershipChange> setPractitionerRole(Caller caller, long organizationId,
            OrganizationUserRequest request) {
        Long userId = request.jheUserId();
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("jheUserId", "jhe_user_id is required"));
        }
        String role = request.requestedRole() == null ? Permissions.MEMBER : request.requestedRole();
        return organization(caller, organizationId)
                .call(org -> permissions.require(caller, organizationId, Permissions.MANAGERS))
                .flatMap(org -> practitionerOf(userId).flatMap(practitioner -> db.inTransaction(tx -> organizations
                        .upsertMember(tx, practitioner.id(), organizationId, role)
                        .call(m -> events.practitionerMembershipChanged(tx, organizationId, userId))
                        .call(m -> m.created() ? staffPasskeys.membershipChanged(tx, organizationId, practitioner.id())
                                : Uni.createFrom().voidItem()))
                        .map(m -> new MembershipChange(new MembershipResponse(m.id(), org, practitioner, role),
                                m.created()))));
    }

    /** Ends a practitioner's membership whatever its role (the role a request names is judged, not compared). */
    public Uni<Void> removePractitioner(Caller caller, long organizationId, OrganizationUserRequest request) {
        Long userId = request.jheUserId();
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("jheUserId", "jhe_user_id is required"));
        }
        return organization(caller, organizationId)
                .call(org -> permissions.require(caller, organizationId, Permissions.MANAGERS))
                .flatMap(org -> practitionerOf(userId))
                .flatMap(practitioner -> db.inTransaction(tx -> organizations
                        .deleteMember(tx, practitioner.id(), organizationId)
                        .call(n -> n > 0 ? events.practitionerMembershipChanged(tx, organizationId, userId)
                                .call(() -> staffPasskeys.membershipChanged(tx, organizationId, practitioner.id()))
                                : Uni.createFrom().voidItem())))
                .replaceWithVoid();
    }

    /**
     * The practitioner record of an account: 404 when the account does not exist or is not a practitioner's
     * (a patient, or an account of unknown type without a practitioner record).
     */
    Uni<PractitionerSummary> practitionerOf(long userId) {
        return practitioners.findSummaryByUserId(userId).flatMap(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            return accounts.find(userId).flatMap(account -> {
                if (account == null) {
                    return Uni.createFrom().failure(Errors.notFound("user"));
                }
                if (!"practitioner".equals(account.userType())) {
                    return Uni.createFrom().failure(new NotFoundException("Practitioner not found"));
                }
                return practitioners.insertForAccount(account);
            });
        });
    }

    private static Long orNull(Optional<Long> value) {
        return value == null ? null : value.orElse(null);
    }
}
