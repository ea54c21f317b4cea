package org.jupyterhealth.exchange.admin.organization;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.AccountDirectory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Keeps identity-service told which accounts an organization requires to sign in with a passkey: an account whose
 * practitioner is a direct member of at least one organization with {@code requirePasskey}. Every method runs in the
 * caller's transaction, after its change and before its commit, so that identity-service unreachable rolls the
 * change back (docs/internal-api.md); a change that cannot alter anyone's requirement calls nobody.
 */
@ApplicationScoped
public class StaffPasskeys {
    private final OrganizationRepository organizations;
    private final AccountDirectory accounts;

    public StaffPasskeys(OrganizationRepository organizations, AccountDirectory accounts) {
        this.organizations = organizations;
        this.accounts = accounts;
    }

    /** A practitioner joined or left the organization: its requirement, when the organization has one. */
    public Uni<Void> membershipChanged(SqlClient tx, long organizationId, long practitionerId) {
        return organizations.requiresPasskey(tx, organizationId).chain(requires -> !requires
                ? Uni.createFrom().voidItem()
                : organizations.passkeyRequirementsOf(tx, List.of(practitionerId)).chain(this::send));
    }

    /** The organization's {@code requirePasskey} was set or unset: the requirement of each of its practitioners. */
    public Uni<Void> requirementChanged(SqlClient tx, long organizationId) {
        return organizations.passkeyRequirementsOfMembers(tx, organizationId).chain(this::send);
    }

    /** Before organizations are deleted: the practitioners whose requirement their deletion may end. */
    public Uni<List<Long>> concernedByDeletion(SqlClient tx, List<Long> organizationIds) {
        return organizations.membersOfPasskeyOrganizations(tx, organizationIds);
    }

    /** After organizations are deleted: the requirement of the practitioners {@link #concernedByDeletion} named. */
    public Uni<Void> deleted(SqlClient tx, List<Long> practitionerIds) {
        return practitionerIds.isEmpty() ? Uni.createFrom().voidItem()
                : organizations.passkeyRequirementsOf(tx, practitionerIds).chain(this::send);
    }

    private Uni<Void> send(List<PasskeyRequirement> requirements) {
        List<Long> required = new ArrayList<>();
        List<Long> notRequired = new ArrayList<>();
        for (PasskeyRequirement requirement : requirements) {
            (requirement.required() ? required : notRequired).add(requirement.userId());
        }
        return accounts.setPasskeyRequirements(required, notRequired);
    }
}
