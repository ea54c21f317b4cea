package org.jupyterhealth.exchange.fhir.directory;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.directory.Records.DataSourceRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.OrganizationRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PractitionerRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.StudyRecord;
import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.ListPaging;
import org.jupyterhealth.exchange.fhir.search.ListPaging.ListPage;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;

/**
 * Group (studies), Organization, Device (data sources) and Practitioner search and read, over the records
 * admin-service says the caller may see: a practitioner the studies and data sources of its organizations, the
 * organizations it belongs to and their practitioners; a patient its studies, their data sources, its organizations
 * and their practitioners. Ordered by name.
 */
@ApplicationScoped
public class DirectorySearchService {
    private final DirectoryService directory;

    public DirectorySearchService(DirectoryService directory) {
        this.directory = directory;
    }

    public Uni<ListPage<Resource>> searchGroups(Caller caller, SearchRequest request) {
        List<List<String>> names = lower(request.orLists("name"));
        return directory.studies(caller.userId()).map(studies -> page(studies, request, StudyRecord::id,
                StudyRecord::name, StudyRecord::lastUpdated,
                s -> names.stream().allMatch(any -> any.stream().anyMatch(p -> startsWith(s.name(), p))),
                DirectoryMapper::group));
    }

    public Uni<ListPage<Resource>> searchOrganizations(Caller caller, SearchRequest request) {
        List<List<String>> names = lower(request.orLists("name"));
        List<List<Long>> parents = request.orLists("partof").stream()
                .map(l -> l.stream().map(v -> SearchRequest.idOf("partof", v, "Organization")).toList()).toList();
        return directory.organizations(caller.userId()).map(orgs -> page(orgs, request, OrganizationRecord::id,
                OrganizationRecord::name, OrganizationRecord::lastUpdated,
                o -> names.stream().allMatch(any -> any.stream().anyMatch(p -> startsWith(o.name(), p)))
                        && parents.stream().allMatch(any -> o.partOf() != null && any.contains(o.partOf())),
                DirectoryMapper::organization));
    }

    public Uni<ListPage<Resource>> searchDevices(Caller caller, SearchRequest request) {
        List<List<String>> names = lower(request.orLists("device-name"));
        List<List<TokenValue>> types = request.orLists("type").stream()
                .map(l -> l.stream().map(TokenValue::parse).toList()).toList();
        return directory.dataSources(caller.userId()).map(sources -> page(sources, request, DataSourceRecord::id,
                DataSourceRecord::name, DataSourceRecord::lastUpdated,
                d -> names.stream().allMatch(any -> any.stream().anyMatch(p -> startsWith(d.name(), p)))
                        && types.stream().allMatch(any -> any.stream().anyMatch(t -> t.matches(DirectoryMapper.MODEL,
                                "data-source") || t.matches(DirectoryMapper.DATA_SOURCE_TYPE, d.type()))),
                DirectoryMapper::device));
    }

    /**
     * Practitioners sharing an organization with the caller, ordered by family and given name: {@code name} (a prefix
     * of either, case aside) and {@code identifier} (its value; a system, if given, is not compared, as the original).
     */
    public Uni<ListPage<Resource>> searchPractitioners(Caller caller, SearchRequest request) {
        List<List<String>> names = lower(request.orLists("name"));
        List<List<String>> identifiers = request.orLists("identifier").stream()
                .map(l -> l.stream().map(v -> TokenValue.parse(v).code()).toList()).toList();
        return directory.practitioners(caller.userId()).map(practitioners -> page(practitioners, request,
                PractitionerRecord::id, DirectorySearchService::fullName, PractitionerRecord::lastUpdated,
                p -> names.stream().allMatch(any -> any.stream().anyMatch(prefix -> startsWith(p.nameFamily(), prefix)
                        || startsWith(p.nameGiven(), prefix)))
                        && identifiers.stream().allMatch(any -> p.identifier() != null
                                && any.contains(p.identifier())),
                DirectoryMapper::practitioner));
    }

    public Uni<Resource> readPractitioner(Caller caller, String id) {
        return directory.practitioners(caller.userId()).map(practitioners -> find(practitioners,
                PractitionerRecord::id, id, "Practitioner", DirectoryMapper::practitioner));
    }

    /** Family, then given name: the order the original lists practitioners in. */
    private static String fullName(PractitionerRecord practitioner) {
        return (practitioner.nameFamily() == null ? "" : practitioner.nameFamily()) + "\u0000"
                + (practitioner.nameGiven() == null ? "" : practitioner.nameGiven());
    }

    public Uni<Resource> readGroup(Caller caller, String id) {
        return directory.studies(caller.userId()).map(studies -> find(studies, StudyRecord::id, id, "Group",
                DirectoryMapper::group));
    }

    public Uni<Resource> readOrganization(Caller caller, String id) {
        return directory.organizations(caller.userId()).map(orgs -> find(orgs, OrganizationRecord::id, id,
                "Organization", DirectoryMapper::organization));
    }

    public Uni<Resource> readDevice(Caller caller, String id) {
        return directory.dataSources(caller.userId()).map(sources -> find(sources, DataSourceRecord::id, id, "Device",
                DirectoryMapper::device));
    }

    private static <R> ListPage<Resource> page(List<R> records, SearchRequest request, ToLongFunction<R> id,
            Function<R, String> name, Function<R, OffsetDateTime> lastUpdated, Predicate<R> matches,
            Function<R, ? extends Resource> render) {
        List<List<String>> ids = request.orLists("_id");
        List<List<DateRange>> updated = request.dates("_lastUpdated");
        boolean otherSource = request.excludesOwnRecords();
        List<R> matching = otherSource ? List.of() : records.stream()
                .filter(r -> ids.stream().allMatch(any -> any.contains(Long.toString(id.applyAsLong(r)))))
                .filter(r -> updated.stream().allMatch(any -> any.stream().anyMatch(d -> d.matches(lastUpdated.apply(r)))))
                .filter(matches)
                .toList();
        var sort = request.sort(List.of("_lastUpdated"));
        ListPaging.Order<R> order = sort.isPresent()
                ? new ListPaging.Order<>(r -> lastUpdated.apply(r) == null ? null
                        : String.format("%020d", lastUpdated.apply(r).toInstant().toEpochMilli()), id,
                        sort.get().descending())
                : new ListPaging.Order<>(r -> name.apply(r) == null ? null : name.apply(r).toLowerCase(Locale.ROOT), id,
                        false);
        ListPage<R> page = ListPaging.page(matching, order, request);
        return new ListPage<>(page.items().stream().map(r -> (Resource) render.apply(r)).toList(), page.total(),
                page.next(), page.previous());
    }

    private static <R> Resource find(List<R> records, ToLongFunction<R> id, String wanted, String type,
            Function<R, ? extends Resource> render) {
        return records.stream().filter(r -> Long.toString(id.applyAsLong(r)).equals(wanted)).findFirst()
                .<Resource>map(render)
                .orElseThrow(() -> new ResourceNotFoundException(type + "/"
                        + (wanted.length() > 64 ? wanted.substring(0, 64) : wanted) + " is not known."));
    }

    private static boolean startsWith(String value, String prefix) {
        return value != null && value.toLowerCase(Locale.ROOT).startsWith(prefix);
    }

    private static List<List<String>> lower(List<List<String>> lists) {
        return lists.stream().map(l -> l.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()).toList();
    }
}
